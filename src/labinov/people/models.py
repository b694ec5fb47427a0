from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from labinov.core.roles import NATIONAL_ROLES, UNIT_ROLES, Role

from .nip import validate_nip


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """An account. Logs in with e-mail and password; roles come from memberships."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)

    objects = UserManager()
    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def get_short_name(self):
        """The given name, without titles and degrees ("Dra. Eli Fatimah, M.Si" is "Eli"); the greeting uses it."""
        from .names import given_name

        return given_name(self.full_name) or self.full_name.strip() or self.email


class Membership(models.Model):
    """A role held by a user: in one pemda (optionally tied to a unit), or national."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    pemda = models.ForeignKey(
        "regions.Pemda", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("pemda")
    )
    unit = models.ForeignKey(
        "regions.Unit", null=True, blank=True, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("unit")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("role membership")
        verbose_name_plural = _("role memberships")
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=sorted(r.value for r in NATIONAL_ROLES), pemda__isnull=True, unit__isnull=True)
                | (~Q(role__in=sorted(r.value for r in NATIONAL_ROLES)) & Q(pemda__isnull=False)),
                name="membership_scope_matches_role",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=sorted(r.value for r in UNIT_ROLES)) | Q(unit__isnull=False),
                name="membership_unit_role_has_unit",
            ),
            # NULLs are distinct in unique indexes, so one constraint per scope.
            models.UniqueConstraint(fields=["user", "role"], condition=Q(pemda__isnull=True), name="membership_unique_national"),
            models.UniqueConstraint(
                fields=["user", "role", "pemda"], condition=Q(pemda__isnull=False, unit__isnull=True), name="membership_unique_pemda"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "pemda", "unit"], condition=Q(unit__isnull=False), name="membership_unique_unit"
            ),
        ]

    def __str__(self):
        where = self.unit or self.pemda or _("national")
        return f"{self.user} · {self.get_role_display()} · {where}"


class Person(models.Model):
    """Someone taking part in a pemda's innovation work: civil servant (NIP), PPPK or non-ASN."""

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.CASCADE, related_name="people", verbose_name=_("pemda"))
    name = models.CharField(_("name"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[validate_nip])
    jabatan = models.CharField(_("position (jabatan)"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "regions.Unit", null=True, blank=True, on_delete=models.SET_NULL, related_name="people", verbose_name=_("unit")
    )
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="people", verbose_name=_("account")
    )

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]
        indexes = [models.Index(fields=["pemda", "name"], name="person_pemda_name")]
        constraints = [
            models.UniqueConstraint(fields=["pemda", "nip"], condition=~Q(nip=""), name="person_unique_nip"),
        ]

    def __str__(self):
        return self.name


class Invitation(models.Model):
    """An organiser's invitation: whoever opens the link sets a password and gets the role.

    A link is valid for settings.LABINOV_INVITATION_DAYS days and can be cancelled or resent.
    """

    pemda = models.ForeignKey("regions.Pemda", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail"))
    full_name = models.CharField(_("full name"), max_length=200)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    unit = models.ForeignKey("regions.Unit", null=True, blank=True, on_delete=models.CASCADE, verbose_name=_("unit"))
    token_hash = models.CharField(max_length=64, unique=True)  # sha256 of the link's token; the token itself is never stored
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"), "pemda", "role", condition=Q(accepted_at__isnull=True), name="invitation_open_unique"
            )
        ]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()})"


class AuthThrottle(models.Model):
    """Failed log-ins and password-reset requests, counted per account (the e-mail typed, whether or
    not an account has it) and per client address, in the database so every process sees them.

    After `limit` events within the window the key is locked until `locked_until` (people/throttle.py).
    """

    class Scope(models.TextChoices):
        LOGIN_ACCOUNT = "login_account", _("log-in, per account")
        LOGIN_IP = "login_ip", _("log-in, per address")
        RESET_EMAIL = "reset_email", _("password reset, per e-mail")
        RESET_IP = "reset_ip", _("password reset, per address")

    scope = models.CharField(_("kind"), max_length=16, choices=Scope.choices)
    key = models.CharField(_("account or address"), max_length=254)
    count = models.PositiveIntegerField(_("count"), default=0)
    window_started_at = models.DateTimeField(_("counting since"), default=timezone.now)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)

    class Meta:
        verbose_name = _("log-in throttle")
        verbose_name_plural = _("log-in throttles")
        constraints = [models.UniqueConstraint(fields=["scope", "key"], name="auththrottle_unique_key")]
        indexes = [models.Index(fields=["locked_until"], name="auththrottle_locked")]

    def __str__(self):
        return f"{self.scope}:{self.key}"

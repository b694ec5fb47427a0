"""Commitment documents (kontrak kerja / perjanjian kinerja inovasi): the template, preparing one
document per unit or per innovation, numbering, the parties, signing, the signed file and the outcome.

The signing order is the one of the launching: the unit head signs, the head of region (or the sekda
"a.n.") countersigns, the LAN official witnesses; with the signed file on record the commitment is
active; at the end of the period it is judged fulfilled or not. Every step is audited.
"""

from __future__ import annotations

import datetime
import hashlib
import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from labinov.core.audit import audit_record, diff, snapshot
from labinov.core.errors import raise_with_model_errors
from labinov.innovations.models import ActionPlan, Innovation, PlanStatus
from labinov.regions.models import ASN_ACTING

from .models import (
    Commitment,
    CommitmentScope,
    CommitmentStatus,
    CommitmentTemplate,
    Countersigner,
    Employment,
    Party,
    SignedFileKind,
)

S = CommitmentStatus

# --------------------------------------------------------------------------- placeholders

NUMBER_FIELDS = ("klasifikasi", "urut", "unit", "tahun", "bulan")
TEXT_FIELDS = ("judul", "unit_head", "nip", "jabatan", "unit", "kepala_daerah", "jabatan_kepala_daerah", "pemda",
               "program", "tahun", "akhir_periode")
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def fill(text: str, values: dict) -> str:
    """Replaces {name} by its value; nothing else of Python's formatting (no attribute access)."""
    return _PLACEHOLDER.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def unknown_placeholders(text: str, allowed) -> list[str]:
    return sorted({m.group(1) for m in _PLACEHOLDER.finditer(text)} - set(allowed))


def tanggal(day: datetime.date | None) -> str:
    """An Indonesian date, "14 November 2019"."""
    if day is None:
        return ""
    from django.utils.formats import date_format

    with translation.override("id"):
        return date_format(day, "j F Y")


def short_pemda_name(pemda) -> str:
    """ "Kota Salatiga" -> "Salatiga": the place in "Salatiga, 14 November 2019" and in "Wali Kota Salatiga"."""
    return pemda.short_name


def unit_code(unit) -> str:
    """The unit's code, or the initials of its name ("Kelurahan Kalicacing" -> "KK")."""
    if unit.code:
        return unit.code
    return "".join(w[0] for w in re.findall(r"[A-Za-z0-9]+", unit.name)).upper()[:8] or str(unit.pk)


# --------------------------------------------------------------------------- the template


def template_for(*, program) -> CommitmentTemplate:
    """The program's template, or an unsaved one with the defaults (reading never writes)."""
    found = CommitmentTemplate.objects.filter(program=program).first()
    if found:
        return found
    pemda = program.pemda
    return CommitmentTemplate(program=program, place=short_pemda_name(pemda), period_ends_on=program.ends_on,
                              witness_position="Lembaga Administrasi Negara")


TEMPLATE_FIELDS = ["scope", "title", "number_pattern", "classification", "opening", "closing", "place", "signing_date",
                   "countersigner", "witness_name", "witness_nip", "witness_position", "period_ends_on"]


def template_update(*, actor, program, **fields) -> CommitmentTemplate:
    """Saves the template; the numbers of documents not yet signed follow a changed pattern."""
    template = template_for(program=program)
    before = snapshot(template, TEMPLATE_FIELDS)
    for name, value in fields.items():
        if name not in TEMPLATE_FIELDS:
            raise TypeError(name)
        setattr(template, name, value)
    errors: dict[str, list] = {}
    if "{urut}" not in template.number_pattern:
        errors["number_pattern"] = [_("The number pattern needs {urut}, the sequence number, so that numbers are unique.")]
    for name, allowed in (("number_pattern", NUMBER_FIELDS), ("opening", TEXT_FIELDS), ("closing", TEXT_FIELDS)):
        unknown = unknown_placeholders(getattr(template, name), allowed)
        if unknown:
            errors.setdefault(name, []).append(
                _("Unknown placeholders: %(unknown)s. Available: %(allowed)s.")
                % {"unknown": ", ".join("{%s}" % u for u in unknown), "allowed": ", ".join("{%s}" % a for a in allowed)})
    if template.witness_nip:
        from labinov.people.nip import normalize_nip, validate_nip

        template.witness_nip = normalize_nip(template.witness_nip)
        try:
            validate_nip(template.witness_nip)
        except ValidationError as e:
            errors["witness_nip"] = e.messages
    if template.pk and "scope" in fields and before["scope"] != template.scope and program.commitments.exists():
        errors["scope"] = [_("Documents have been prepared already; the choice per unit or per innovation can no longer change.")]
    if template.countersigner == Countersigner.SEKDA and not program.pemda.sekda_name:
        errors["countersigner"] = [_("The pemda has no sekda on record; add the sekda on the pemda page first.")]
    raise_with_model_errors(template, errors, exclude=["program"])
    with transaction.atomic():
        template.save()
        renumbered = 0
        for commitment in program.commitments.select_related("unit").filter(status=S.DRAFTED):
            number = commitment_number(template=template, unit=commitment.unit, sequence=commitment.sequence)
            if number != commitment.number:
                commitment.number = number
                commitment.save(update_fields=["number", "updated_at"])
                renumbered += 1
        audit_record(actor=actor, action="commitment.template", obj=program,
                     changes={**diff(before, snapshot(template, TEMPLATE_FIELDS)), "renumbered": renumbered})
    return template


def commitment_number(*, template: CommitmentTemplate, unit, sequence: int) -> str:
    program = template.program
    day = template.signing_date
    return fill(template.number_pattern, {
        "klasifikasi": template.classification, "urut": f"{sequence:03d}", "unit": unit_code(unit),
        "tahun": day.year if day else program.year, "bulan": _ROMAN[day.month - 1] if day else "",
    })


# --------------------------------------------------------------------------- which innovations a document covers


def approved_plan_ids(innovation_ids) -> dict[int, int]:
    """innovation id -> the id of its latest approved plan (one query)."""
    rows = (
        ActionPlan.objects.filter(innovation_id__in=list(innovation_ids), status=PlanStatus.APPROVED)
        .order_by("innovation_id", "-version").values_list("innovation_id", "pk")
    )
    out: dict[int, int] = {}
    for innovation_id, pk in rows:
        out.setdefault(innovation_id, pk)
    return out


def eligible_innovations(*, program) -> QuerySet[Innovation]:
    """The program's innovations that have an approved action plan: only those can be promised."""
    approved = ActionPlan.objects.filter(innovation=OuterRef("pk"), status=PlanStatus.APPROVED)
    return Innovation.objects.filter(program=program, pemda_id=program.pemda_id).filter(Exists(approved)).select_related("unit")


def _unit_head_defaults(program, unit_ids) -> dict[int, dict]:
    """The unit head's name, NIP and position from the people register: the person whose account heads
    the unit, else the first person of the unit with a position."""
    from labinov.core.roles import Role
    from labinov.people.models import Membership, Person

    heads = set(Membership.objects.filter(pemda_id=program.pemda_id, role=Role.UNIT_HEAD, unit_id__in=unit_ids)
                .values_list("user_id", flat=True))
    from labinov.regions.models import Ownership, Unit

    private = set(Unit.objects.filter(pk__in=unit_ids, ownership=Ownership.SWASTA).values_list("pk", flat=True))
    found: dict[int, dict] = {}
    for person in Person.objects.filter(pemda_id=program.pemda_id, unit_id__in=unit_ids).order_by("name", "pk"):
        entry = {"unit_head_name": person.name, "unit_head_nip": person.nip, "unit_head_position": person.jabatan}
        if person.user_id in heads:
            found[person.unit_id] = {**entry, "head": True}
        elif person.jabatan and not found.get(person.unit_id):
            found[person.unit_id] = entry
    for unit_id in private:  # the head of a private school is not a civil servant, unless the register gives a NIP
        if not found.get(unit_id, {}).get("unit_head_nip"):
            found.setdefault(unit_id, {})["unit_head_employment"] = Employment.NON_ASN
    return found


def commitments_prepare(*, actor, program) -> int:
    """Creates the missing documents: per unit (units with an innovation whose plan is approved) or per
    such innovation, numbered in order. Running it again creates only what is new. Returns how many."""
    template = template_for(program=program)
    innovations = list(eligible_innovations(program=program).order_by("unit__name", "name", "pk"))
    if not innovations:
        raise ValidationError(_("No innovation of this program has an approved action plan yet."))
    from labinov.programs.models import Program

    with transaction.atomic():
        Program.objects.select_for_update().filter(pk=program.pk).first()  # one preparation at a time
        template = template_for(program=program)  # again, under the lock
        if template.pk is None:
            template.save()
        existing = program.commitments.all()
        if template.scope == CommitmentScope.UNIT:
            have = set(existing.values_list("unit_id", flat=True))
            wanted = []
            for i in innovations:
                if i.unit_id not in have:
                    have.add(i.unit_id)
                    wanted.append((i.unit, None))
        else:
            have = set(existing.exclude(innovation=None).values_list("innovation_id", flat=True))
            wanted = [(i.unit, i) for i in innovations if i.pk not in have]
        sequence = existing.aggregate(m=Max("sequence"))["m"] or 0
        defaults = _unit_head_defaults(program, {u.pk for u, _i in wanted})
        rows = []
        for unit, innovation in wanted:
            sequence += 1
            party = defaults.get(unit.pk, {})
            rows.append(Commitment(
                pemda_id=program.pemda_id, program=program, unit=unit, innovation=innovation, sequence=sequence,
                number=commitment_number(template=template, unit=unit, sequence=sequence),
                unit_head_name=party.get("unit_head_name", ""), unit_head_nip=party.get("unit_head_nip", ""),
                unit_head_position=party.get("unit_head_position", ""),
                unit_head_employment=party.get("unit_head_employment", Employment.PNS),
            ))
        Commitment.objects.bulk_create(rows)
        audit_record(actor=actor, action="commitment.prepare", obj=program, changes={"created": len(rows), "scope": template.scope})
    return len(rows)


# --------------------------------------------------------------------------- reading


def commitment_list(*, program, status: str = "") -> QuerySet[Commitment]:
    qs = program.commitments.select_related("unit", "innovation").order_by("sequence")
    if status:
        qs = qs.filter(status=status)
    return qs


def commitment_get(*, program, pk) -> Commitment:
    try:
        return Commitment.objects.select_related("unit", "innovation", "program", "program__pemda", "pemda").get(program=program, pk=pk)
    except (Commitment.DoesNotExist, ValueError):
        raise Http404 from None


def commitment_for_innovation(*, innovation) -> Commitment | None:
    """The document covering the innovation: its own, or its unit's in the program."""
    from django.db.models import Q

    return (Commitment.objects.filter(program_id=innovation.program_id)
            .filter(Q(innovation=innovation) | Q(innovation__isnull=True, unit_id=innovation.unit_id)).first())


def status_counts(*, program) -> dict[str, int]:
    from django.db.models import Count

    rows = program.commitments.order_by().values("status").annotate(n=Count("pk"))
    counts = {r["status"]: r["n"] for r in rows}
    return {key: counts.get(key, 0) for key in S.values}


# --------------------------------------------------------------------------- parties and signing

PARTY_FIELDS = ["unit_head_name", "unit_head_nip", "unit_head_position", "unit_head_employment"]

#: which party signs next, by status; who signed is kept in these fields
NEXT_PARTY = {S.DRAFTED: Party.UNIT_HEAD, S.SIGNED_BY_UNIT_HEAD: Party.COUNTERSIGNER, S.COUNTERSIGNED: Party.WITNESS}
SIGNED = {Party.UNIT_HEAD: (S.SIGNED_BY_UNIT_HEAD, "unit_head_signed_by", "unit_head_signed_on"),
          Party.COUNTERSIGNER: (S.COUNTERSIGNED, "countersigned_by", "countersigned_on"),
          Party.WITNESS: (S.WITNESSED, "witnessed_by", "witnessed_on")}


def _locked(commitment: Commitment) -> Commitment:
    return Commitment.objects.select_for_update().select_related("program", "unit").get(pk=commitment.pk)


def commitment_update_party(*, actor, commitment: Commitment, **fields) -> Commitment:
    """The unit head's name, NIP and position, while nothing is signed yet."""
    with transaction.atomic():
        current = _locked(commitment)
        if current.status != S.DRAFTED:
            raise ValidationError(_("The document has been signed; its parties can no longer change."))
        before = snapshot(current, PARTY_FIELDS)
        for name, value in fields.items():
            if name not in PARTY_FIELDS:
                raise TypeError(name)
            setattr(current, name, (value or "").strip())
        errors = {}
        if current.unit_head_employment not in Employment.values:
            errors["unit_head_employment"] = [_("Choose whether the unit head is a civil servant (PNS), PPPK or non-ASN.")]
        elif current.unit_head_employment != Employment.PNS and current.unit_head_nip:
            errors["unit_head_nip"] = [_("Only a civil servant (PNS) has a NIP printed; leave it empty for PPPK and non-ASN.")]
        if current.unit_head_nip and not errors:
            from labinov.people.nip import normalize_nip, validate_nip

            current.unit_head_nip = normalize_nip(current.unit_head_nip)
            try:
                validate_nip(current.unit_head_nip)
            except ValidationError as e:
                errors["unit_head_nip"] = e.messages
        raise_with_model_errors(current, errors, exclude=["pemda", "program", "unit", "innovation", "document", "signed_file"])
        current.save()
        audit_record(actor=actor, action="commitment.party", obj=current, changes=diff(before, snapshot(current, PARTY_FIELDS)))
    return current


# --------------------------------------------------------------------------- NIPs missing under a signature


def missing_nips(*, program, commitments: list[Commitment] | None = None, template: CommitmentTemplate | None = None) -> list[dict]:
    """The parties of the program's documents who are civil servants (the sekda, an acting Pj or Plh head of
    region, the LAN witness, a unit head who is PNS) and have no NIP on record: their document would print
    an empty "NIP." line. Unit heads of unsigned documents only (a signed document no longer changes);
    PPPK, non-ASN and an elected head of region sign without a NIP line and are never listed.
    One query for the unit heads, whatever the number of documents."""
    template = template or template_for(program=program)
    pemda = program.pemda
    missing = []
    if template.countersigner == Countersigner.SEKDA:
        if not pemda.sekda_nip:
            missing.append({"party": Party.COUNTERSIGNER, "role": _("Sekda (a.n. %(head)s)") % {"head": pemda.head_full_title},
                            "name": pemda.sekda_name, "commitment": None})
    elif pemda.head_acting in ASN_ACTING and not pemda.head_nip:
        missing.append({"party": Party.COUNTERSIGNER, "role": pemda.head_full_title, "name": pemda.head_name, "commitment": None})
    if not template.witness_nip:
        missing.append({"party": Party.WITNESS, "role": str(Party.WITNESS.label), "name": template.witness_name, "commitment": None})
    if commitments is None:
        commitments = program.commitments.filter(status=S.DRAFTED, unit_head_employment=Employment.PNS, unit_head_nip="") \
            .select_related("unit").order_by("sequence")
    for c in commitments:
        if c.status == S.DRAFTED and c.unit_head_employment == Employment.PNS and not c.unit_head_nip:
            missing.append({"party": Party.UNIT_HEAD, "role": _("Unit head of %(unit)s") % {"unit": c.unit.name},
                            "name": c.unit_head_name, "commitment": c})
    return missing


def commitment_fix_nip(*, actor, program, party: str, nip: str, commitment: Commitment | None = None,
                       employment: str = Employment.PNS):
    """Records a missing NIP where the organiser sees it is missing: the unit head's on the document (or says
    they are PPPK / non-ASN), the witness's on the template, the sekda's or an acting head's on the pemda."""
    from labinov.regions.services import pemda_update

    nip = (nip or "").strip()
    if party == Party.UNIT_HEAD:
        if commitment is None:
            raise ValidationError(_("Choose the document."))
        if employment == Employment.PNS and not nip:
            raise ValidationError({"nip": [_("Enter the NIP (18 digits), or say that the unit head is PPPK or non-ASN.")]})
        try:
            return commitment_update_party(actor=actor, commitment=commitment, unit_head_employment=employment,
                                           unit_head_nip=nip if employment == Employment.PNS else "")
        except ValidationError as e:
            raise _as_nip_error(e) from None
    if not nip:
        raise ValidationError({"nip": [_("Enter the NIP (18 digits).")]})
    try:
        if party == Party.WITNESS:
            return template_update(actor=actor, program=program, witness_nip=nip)
        if party == Party.COUNTERSIGNER:
            template = template_for(program=program)
            field = "sekda_nip" if template.countersigner == Countersigner.SEKDA else "head_nip"
            return pemda_update(actor=actor, pemda=program.pemda, **{field: nip})
    except ValidationError as e:
        raise _as_nip_error(e) from None
    raise ValidationError(_("Unknown party."))


def _as_nip_error(error: ValidationError) -> ValidationError:
    """A service's refusal, with a NIP field's messages shown on the form's one NIP field."""
    if not hasattr(error, "error_dict"):
        return error
    out: dict[str, list] = {}
    for key, messages in error.message_dict.items():
        out.setdefault("nip" if key.endswith("nip") else key, []).extend(messages)
    return ValidationError(out)


def commitment_sign(*, actor, commitment: Commitment, party: str, signed_by: str, signed_on: datetime.date) -> Commitment:
    """Records one party's signature, in the order unit head -> head of region (or sekda) -> witness."""
    signed_by = (signed_by or "").strip()
    with transaction.atomic():
        current = _locked(commitment)
        expected = NEXT_PARTY.get(current.status)
        if expected is None:
            raise ValidationError(_("Every party has signed this document already."))
        if party != expected:
            raise ValidationError(_("The next signature is that of: %(party)s.") % {"party": Party(expected).label})
        errors = {}
        if not signed_by:
            errors["signed_by"] = [_("Write the name of the person who signed.")]
        if signed_on is None:
            errors["signed_on"] = [_("Give the date of the signature.")]
        elif signed_on > timezone.localdate():
            errors["signed_on"] = [_("A signature cannot be dated in the future.")]
        else:
            earlier = [d for d in (current.unit_head_signed_on, current.countersigned_on) if d]
            if earlier and signed_on < max(earlier):
                errors["signed_on"] = [_("This signature cannot be dated before the previous one (%(day)s).") % {"day": tanggal(max(earlier))}]
        if errors:
            raise ValidationError(errors)
        status, by_field, on_field = SIGNED[party]
        before = current.status
        if before == S.DRAFTED:
            from .documents import freeze

            freeze([current])  # what the unit head signs is what the document keeps
        current.status = status
        setattr(current, by_field, signed_by)
        setattr(current, on_field, signed_on)
        current.save()
        audit_record(actor=actor, action="commitment.sign", obj=current,
                     changes={"party": party, "signed_by": signed_by, "signed_on": signed_on.isoformat(), "status": [before, status]})
    return current


def default_signer(commitment: Commitment, party: str, template: CommitmentTemplate | None = None) -> str:
    """Who normally signs as `party`: the document's unit head, the head of region or sekda, the witness."""
    if party == Party.UNIT_HEAD:
        return commitment.unit_head_name
    template = template or template_for(program=commitment.program)
    pemda = commitment.program.pemda
    if party == Party.COUNTERSIGNER:
        return pemda.sekda_name if template.countersigner == Countersigner.SEKDA else pemda.head_name
    return template.witness_name


def default_signing_date(template: CommitmentTemplate | None) -> datetime.date:
    """The date a signature form starts with: the document's date of signing (the launching), unless that
    is still ahead (a signature cannot be dated in the future); else today."""
    today = timezone.localdate()
    day = template.signing_date if template is not None else None
    return day if day is not None and day <= today else today


def signing_stages() -> list[str]:
    """The stages in which signatures are recorded (the stage registry says so), in order."""
    from labinov.core.stages import ORDER, Capability, stage_allows

    return [key for key in ORDER if stage_allows(key, Capability.COMMITMENT_SIGN)]


def signing_guide(*, user, commitment: Commitment, template: CommitmentTemplate | None = None) -> dict:
    """What the document's page says about signing, in words for the viewer: who signs when (the order
    and the stage), which party the viewer signs as, and whether it is their turn now. Uses the same
    permission (delivery.sign_commitment, whose stage part comes from core/stages.py) as the sign view."""
    from labinov.core.stages import StageKey, get_stage

    template = template or template_for(program=commitment.program)
    program = commitment.program
    stages = signing_stages()
    stage_open = program.stage in stages
    opens_in = StageKey(stages[0]).label if stages else ""
    if stage_open:
        stage_text = ""
    elif stages and get_stage(program.stage).order < get_stage(stages[0]).order:
        stage_text = _("Signing opens in the stage %(stage)s; the program is now in %(current)s.") % {
            "stage": opens_in, "current": StageKey(program.stage).label}
    else:
        stage_text = _("Signing is over: the program is in %(current)s, where no signature is recorded.") % {
            "current": StageKey(program.stage).label}
    next_party = NEXT_PARTY.get(commitment.status)
    done = {Party.UNIT_HEAD: (commitment.unit_head_signed_by, commitment.unit_head_signed_on),
            Party.COUNTERSIGNER: (commitment.countersigned_by, commitment.countersigned_on),
            Party.WITNESS: (commitment.witnessed_by, commitment.witnessed_on)}
    previous = {Party.UNIT_HEAD: None, Party.COUNTERSIGNER: Party.UNIT_HEAD, Party.WITNESS: Party.COUNTERSIGNER}
    from labinov.core.rules import can_administer_pemda

    records_all = can_administer_pemda(user, program)
    steps, mine = [], []
    for party in (Party.UNIT_HEAD, Party.COUNTERSIGNER, Party.WITNESS):
        by, on = done[party]
        own = not records_all and may_sign_as(user, commitment, party)
        if own:
            mine.append(party)
        steps.append({"party": party, "label": Party(party).label, "signer": default_signer(commitment, party, template),
                      "signed_by": by, "signed_on": on, "state": "done" if on else ("next" if party == next_party else "later"),
                      "mine": own})
    lines = []
    for party in mine:
        by, on = done[party]
        if on:
            lines.append(_("You signed as %(party)s on %(day)s.") % {"party": Party(party).label, "day": tanggal(on)})
        elif previous[party] is None:
            lines.append(_("You sign as %(party)s, first of the three parties.") % {"party": Party(party).label})
        else:
            lines.append(_("You sign as %(party)s, after %(before)s has signed.")
                         % {"party": Party(party).label, "before": Party(previous[party]).label})
    if records_all:
        lines.append(_("You record each party's signature, in this order, as they sign (for example at the launching)."))
    may_sign_now = bool(next_party) and user.has_perm("delivery.sign_commitment", commitment) and may_sign_as(user, commitment, next_party)
    if may_sign_now:
        turn = _("It is your turn: record the signature of %(party)s.") % {"party": Party(next_party).label}
    elif next_party and stage_open:
        signer = default_signer(commitment, next_party, template)
        turn = (_("Waiting for the signature of %(party)s (%(name)s).") % {"party": Party(next_party).label, "name": signer}
                if signer else _("Waiting for the signature of %(party)s.") % {"party": Party(next_party).label})
    else:
        turn = ""
    return {"stage_open": stage_open, "stage_text": stage_text, "steps": steps, "lines": lines, "turn": turn,
            "next_party": next_party, "may_sign": may_sign_now, "signed_on": default_signing_date(template),
            "opens_in": opens_in}


MAX_SIGN_MANY = 1000


def commitments_sign_many(*, actor, program, ids, party: str, signed_on: datetime.date, signed_by: str = "") -> int:
    """One party's signature on many documents at once (at a launching the sekda countersigns 140):
    all or nothing. Without `signed_by`, each document gets its usual signer (its unit head, the head
    of region or sekda of the template, the witness)."""
    ids = sorted({int(i) for i in ids if str(i).isascii() and str(i).isdigit()})
    if not ids:
        raise ValidationError(_("Choose the documents."))
    if len(ids) > MAX_SIGN_MANY:
        raise ValidationError(_("At most %(n)s documents at once.") % {"n": MAX_SIGN_MANY})
    template = template_for(program=program)
    with transaction.atomic():
        rows = list(program.commitments.filter(pk__in=ids).select_related("program", "program__pemda", "unit"))
        if len(rows) != len(ids):
            raise ValidationError(_("Some chosen documents are not in this program."))
        waiting = [c for c in rows if NEXT_PARTY.get(c.status) != party]
        if waiting:
            raise ValidationError(_("%(n)s chosen documents are not waiting for this signature (e.g. %(number)s); nothing was recorded.")
                                  % {"n": len(waiting), "number": waiting[0].number})
        for c in rows:
            name = (signed_by or "").strip() or default_signer(c, party, template)
            if not name:
                raise ValidationError({"signed_by": [_("Write the name of the person who signed (%(number)s has no default signer).")
                                                     % {"number": c.number}]})
            commitment_sign(actor=actor, commitment=c, party=party, signed_by=name, signed_on=signed_on)
    return len(rows)


def _not_signed_yet() -> str:
    return _("Nobody has signed this document yet: record the signatures first (at least the unit head's), "
             "then upload the signed document. Nothing was stored.")


def commitment_upload_signed(*, actor, commitment: Commitment, upload) -> Commitment:
    """The signed document: a scan (PDF or image) or an electronically signed PDF (its signatures are
    verified and the report kept). Checked by content; a PDF is kept byte for byte."""
    from labinov.core.files import check_upload

    from .signatures import SignatureError, signatures_summary, verify_pdf_signatures

    if commitment.status == S.DRAFTED:
        raise ValidationError({"file": [_not_signed_yet()]})
    clean = check_upload("signed_commitment", upload, field="file")
    report: dict = {}
    kind = SignedFileKind.SCAN
    if clean.kind == "pdf" and b"/ByteRange" in clean.content:  # only a signed PDF goes to pyHanko
        try:
            checks = verify_pdf_signatures(clean.content)
        except SignatureError as e:  # pyHanko reads strictly; pypdf (the upload check) read it
            report = {"count": 0, "valid": False, "trusted": False, "signatures": [], "error": str(e)}
        else:
            if checks:
                report = signatures_summary(checks)
                kind = SignedFileKind.ELECTRONIC
        report["matches_number"] = _carries_number(clean.content, commitment.number)
    with transaction.atomic():
        current = _locked(commitment)
        if current.status in (S.FULFILLED, S.NOT_FULFILLED):
            raise ValidationError(_("The commitment is closed; its signed document can no longer change."))
        if current.status == S.DRAFTED:  # signed meanwhile? no: still nobody's signature on record
            raise ValidationError({"file": [_not_signed_yet()]})
        from django.core.files.base import ContentFile

        old = current.signed_file.name
        digest = hashlib.sha256(clean.content).hexdigest()
        current.signed_file.save(f"{current.program_id}-{current.pk}-{digest[:12]}{clean.extension}", ContentFile(clean.content), save=False)
        current.signed_file_kind, current.signed_file_type, current.signature_report = kind, clean.content_type, report
        current.save()
        audit_record(actor=actor, action="commitment.upload", obj=current,
                     changes={"kind": kind, "sha256": digest, "replaced": old or None,
                              "signatures": report.get("count", 0), "valid": report.get("valid")})
    return current


def _carries_number(pdf: bytes, number: str) -> bool:
    """Whether the PDF is this document: Labinov writes the number as the title of each document's PDF
    (kept by signing tools, which append to the file) and on every page."""
    import io

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(pdf), strict=False)
        title = (reader.metadata or {}).get("/Title") or ""
        return str(title) == number or number in (reader.pages[0].extract_text() or "")
    except Exception:
        return False


def commitment_activate(*, actor, commitment: Commitment) -> Commitment:
    with transaction.atomic():
        current = _locked(commitment)
        if current.status != S.WITNESSED:
            raise ValidationError(_("A commitment becomes active once all three parties have signed."))
        if not current.signed_file:
            raise ValidationError(_("Upload the signed document first."))
        current.status, current.activated_on = S.ACTIVE, timezone.localdate()
        current.save()
        audit_record(actor=actor, action="commitment.activate", obj=current, changes={"status": [S.WITNESSED, S.ACTIVE]})
    return current


def period_end(commitment: Commitment) -> datetime.date | None:
    template = CommitmentTemplate.objects.filter(program_id=commitment.program_id).first()
    return (template.period_ends_on if template else None) or commitment.program.ends_on


def commitment_close(*, actor, commitment: Commitment, fulfilled: bool, note: str = "") -> Commitment:
    """At the end of the period: fulfilled or not fulfilled, with the organiser's note."""
    with transaction.atomic():
        current = _locked(commitment)
        if current.status != S.ACTIVE:
            raise ValidationError(_("Only an active commitment can be judged fulfilled or not."))
        end = period_end(current)
        today = timezone.localdate()
        if end is None:
            raise ValidationError(_("Set the end of the commitment period (or the program's end) first."))
        if today < end:
            raise ValidationError(_("The commitment period runs until %(day)s; judge it after that.") % {"day": tanggal(end)})
        if not fulfilled and not note.strip():
            raise ValidationError({"note": [_("Say why the commitment was not fulfilled.")]})
        status = S.FULFILLED if fulfilled else S.NOT_FULFILLED
        current.status, current.outcome_on, current.outcome_note = status, today, note.strip()
        current.save()
        audit_record(actor=actor, action="commitment.close", obj=current, changes={"status": [S.ACTIVE, status], "note": note.strip()})
    return current


def may_sign_as(user, commitment: Commitment, party: str) -> bool:
    """The organiser records every party (they collect the signatures at the launching); the unit head
    records their own, the leader the countersignature, a national coach the witness."""
    from labinov.core.access import roles_of
    from labinov.core.roles import Role

    from labinov.core.rules import can_administer_pemda

    if can_administer_pemda(user, commitment.program):
        return True
    index = roles_of(user)
    if party == Party.UNIT_HEAD:
        return commitment.unit_id in index.units_for(commitment.pemda_id, Role.UNIT_HEAD)
    if party == Party.COUNTERSIGNER:
        return Role.LEADER in index.roles_in(commitment.pemda_id)
    if party == Party.WITNESS:
        return Role.NATIONAL_COACH in index.national
    return False

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from ninja import Query, Router
from ninja.pagination import paginate

from labinov.core.views_helpers import require, tenant
from labinov.ideas import selectors, services
from labinov.ideas.visibility import decisions_visible_to
from labinov.ideas.models import IdeaStatus
from labinov.innovations.selectors import innovation_list
from labinov.programs.selectors import program_get

from ..numbers import Id
from ..pagination import LimitOffset
from ..refs import unit_ref
from ..schemas_ideas import (
    DecisionIn,
    DecisionOut,
    FunnelOut,
    IdeaIn,
    IdeaOut,
    IdeaPatch,
    InnovationOut,
    PublishOut,
    ReviewIn,
    ReviewOut,
    RubricIn,
    RubricOut,
    ScreeningRowOut,
    SimilarOut,
)

router = Router(tags=["ideas"])

P = "/pemda/{code}/programs/{id}"


def _program(request, code: str, id: Id, perm: str | None = None):
    """The program of the URL in the pemda of the URL (404 otherwise), optionally checked against a pemda perm."""
    pemda = tenant(request, code, perm)
    return pemda, program_get(actor=request.user, pemda=pemda, pk=id)


def _writable_unit(request, pemda, program, unit_id: Id | None):
    """A unit of this pemda (else 422) that the caller writes ideas for (else 403): their own, or any for organisers."""
    unit = unit_ref(actor=request.user, pemda=pemda, unit_id=unit_id, field="unit_id")
    writable = selectors.unit_choices_for_writer(actor=request.user, program=program)
    if unit is not None and not writable.filter(pk=unit.pk).exists():
        raise PermissionDenied
    return unit


# --- ideas ---------------------------------------------------------------------------------------


@router.get(P + "/ideas", response=list[IdeaOut], summary="Ideas of the program the caller may see")
@paginate(LimitOffset)
def idea_list(request, code: str, id: Id, unit: Id | None = Query(None, description="Only ideas of this unit"),
              status: str = Query("", description="draft, submitted, selected, merged or rejected"),
              q: str = Query("", description="Words of the title, problem or proposed change")):
    """Units see their own ideas (drafts included) until the decisions are published, then every submitted
    idea; organisers, coaches, verifiers and leaders see every submitted idea."""
    _pemda, program = _program(request, code, id, "ideas.view_ideas")
    return selectors.idea_list(actor=request.user, program=program, unit_id=unit, status=status, q=q.strip()[:100])


@router.post(P + "/ideas", response={201: IdeaOut}, summary="Write an idea (a draft, or submitted at once)")
def idea_create(request, code: str, id: Id, payload: IdeaIn):
    """During Diagnose, for a participating unit: the caller's own unit, or any unit for organisers."""
    pemda, program = _program(request, code, id)
    require(request.user, "ideas.add_idea", program)
    unit = _writable_unit(request, pemda, program, payload.unit_id)
    fields = payload.model_dump(exclude={"unit_id"})
    return services.idea_create(actor=request.user, program=program, unit=unit, **fields)


@router.get(P + "/ideas/similar", response=SimilarOut,
            summary="Ideas of the program and published innovations of any pemda similar to a text")
def idea_similar(request, code: str, id: Id,
                 text: str = Query("", description="What is being written: title, problem, proposed change"),
                 exclude: Id | None = Query(None, description="An idea to leave out (the one being edited)")):
    """Only ideas the caller may see, and innovations published in the catalogue; never another pemda's
    drafts or unpublished ideas. A text of fewer than two words finds nothing."""
    _pemda, program = _program(request, code, id, "ideas.view_ideas")
    return selectors.similar_ideas(actor=request.user, program=program, text=text[:2000], exclude_id=exclude)


@router.get(P + "/ideas/{idea_id}", response=IdeaOut, summary="One idea")
def idea_detail(request, code: str, id: Id, idea_id: Id):
    _pemda, program = _program(request, code, id, "ideas.view_ideas")
    return selectors.idea_get(actor=request.user, program=program, pk=idea_id)


@router.patch(P + "/ideas/{idea_id}", response=IdeaOut, summary="Change an idea (only the fields sent)")
def idea_update(request, code: str, id: Id, idea_id: Id, payload: IdeaPatch):
    """By its unit (or an organiser) until Diagnose closes, as long as it has no decision."""
    pemda, program = _program(request, code, id)
    idea = selectors.idea_get(actor=request.user, program=program, pk=idea_id)
    require(request.user, "ideas.change_idea", idea)
    fields = payload.model_dump(exclude_unset=True)
    if "unit_id" in fields:
        fields["unit"] = _writable_unit(request, pemda, program, fields.pop("unit_id"))
    return services.idea_update(actor=request.user, idea=idea, **fields)


@router.post(P + "/ideas/{idea_id}/submit", response=IdeaOut, summary="Submit a draft")
def idea_submit(request, code: str, id: Id, idea_id: Id):
    """Submitting an idea that is already submitted changes nothing."""
    _pemda, program = _program(request, code, id)
    idea = selectors.idea_get(actor=request.user, program=program, pk=idea_id)
    require(request.user, "ideas.change_idea", idea)
    if idea.status == IdeaStatus.SUBMITTED:
        return idea
    return services.idea_submit(actor=request.user, idea=idea)


# --- rubric and reviews --------------------------------------------------------------------------


@router.get(P + "/rubric", response=RubricOut, summary="The screening rubric: criteria and weights")
def rubric_detail(request, code: str, id: Id):
    """A program without a rubric of its own gets the default one (PP 38/2017 plus feasibility and RPJMD)."""
    _pemda, program = _program(request, code, id, "ideas.view_ideas")
    return {"criteria": selectors.criteria_for(program=program)}


@router.put(P + "/rubric", response=RubricOut, summary="Replace the rubric (before scoring starts)")
def rubric_update(request, code: str, id: Id, payload: RubricIn):
    _pemda, program = _program(request, code, id)
    require(request.user, "ideas.edit_rubric", program)
    criteria = services.rubric_set(actor=request.user, program=program,
                                   criteria=[c.model_dump() for c in payload.criteria])
    return {"criteria": criteria}


@router.put(P + "/ideas/{idea_id}/review", response=ReviewOut, summary="Score an idea (the caller's own review)")
def idea_review(request, code: str, id: Id, idea_id: Id, payload: ReviewIn):
    """During Design, by organisers, coaches and verifiers of the pemda and the program's coaches. Sending
    it again replaces the caller's review. The first review fixes the rubric."""
    _pemda, program = _program(request, code, id)
    idea = selectors.idea_get(actor=request.user, program=program, pk=idea_id)
    require(request.user, "ideas.review_idea", idea)
    try:
        return services.review_save(actor=request.user, idea=idea, scores=payload.scores, comment=payload.comment)
    except ValidationError as e:
        # The service names a criterion's score as the page's form does (c<id>); the API names it
        # by the key the client sent it under, beside the message that names it by its label.
        if not hasattr(e, "error_dict"):
            raise
        names = {f"c{c.pk}": f"scores.{c.key}" for c in selectors.criteria_for(program=program)}
        raise ValidationError({names.get(field, field): errors for field, errors in e.error_dict.items()}) from None


@router.get(P + "/screening", response=list[ScreeningRowOut],
            summary="Submitted and decided ideas ranked by mean score, with reviewer agreement")
@paginate(LimitOffset)
def screening_list(request, code: str, id: Id,
                   status: str = Query("", description="submitted, selected, merged or rejected"),
                   unit_kind: str = Query("", description="A unit type, e.g. kelurahan")):
    _pemda, program = _program(request, code, id)
    require(request.user, "ideas.view_reviews", program)
    return selectors.ranked_ideas(actor=request.user, program=program, status=status, unit_kind=unit_kind)


# --- decisions -----------------------------------------------------------------------------------


@router.post(P + "/decisions", response=DecisionOut, summary="Select, reject, merge ideas, or undo decisions")
def decision_create(request, code: str, id: Id, payload: DecisionIn):
    """During Design, by organisers; one idea or many at once, all or nothing. Units see the decisions
    once they are published."""
    pemda, program = _program(request, code, id)
    require(request.user, "ideas.decide", program)
    ideas = selectors.ideas_by_ids(actor=request.user, program=program, ids=payload.idea_ids)
    innovation_ids = []
    if payload.action == "select":
        innovation_ids = [i.pk for i in services.ideas_select(actor=request.user, program=program, ideas=ideas)]
    elif payload.action == "reject":
        services.ideas_reject(actor=request.user, program=program, ideas=ideas, reason=payload.reason)
    elif payload.action == "merge":
        unit = unit_ref(actor=request.user, pemda=pemda, unit_id=payload.unit_id, field="unit_id")
        merge = services.ideas_merge(actor=request.user, program=program, ideas=ideas, title=payload.title, unit=unit)
        innovation_ids = [merge.innovation_id]
    else:
        with transaction.atomic():
            undone_merges = set()  # undoing one merged idea undoes its whole merge
            for idea in ideas:
                merged = idea.status == IdeaStatus.MERGED
                if merged and idea.innovation_id in undone_merges:
                    continue
                services.decision_undo(actor=request.user, program=program, idea=idea)
                if merged:
                    undone_merges.add(idea.innovation_id)
    return {"action": payload.action, "idea_ids": [i.pk for i in ideas], "innovation_ids": innovation_ids}


@router.post(P + "/decisions/publish", response=PublishOut, summary="Publish the decisions to the units")
def decision_publish(request, code: str, id: Id):
    """Every submitted idea must have a decision first (else 422). Units then see every submitted idea
    of the program with its decision and reason."""
    _pemda, program = _program(request, code, id)
    require(request.user, "ideas.decide", program)
    return services.decisions_publish(actor=request.user, program=program)


# --- funnel and innovations ----------------------------------------------------------------------


@router.get(P + "/funnel", response=FunnelOut, summary="Units → ideas → decisions → innovations, also by unit type")
def funnel(request, code: str, id: Id):
    _pemda, program = _program(request, code, id, "ideas.view_funnel")
    return selectors.funnel(program=program, show_decisions=decisions_visible_to(request.user, program))


@router.get(P + "/innovations", response=list[InnovationOut],
            summary="Innovations of the program, with the ideas they were born from")
@paginate(LimitOffset)
def program_innovations(request, code: str, id: Id):
    _pemda, program = _program(request, code, id, "ideas.view_ideas")
    return innovation_list(actor=request.user, program=program).prefetch_related("source_ideas")

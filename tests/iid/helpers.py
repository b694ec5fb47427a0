"""Building IID assessments that reach an exact total through the engine (no hard-coded results)."""

from decimal import Decimal

from labinov.iid.scoring import AssessmentInput, InnovationInput, innovation_score

N_FINE = 200  # with 200 innovations each weight-1 level moves the total by 1/200 = 0.005


def levels_for(indicators, target) -> dict:
    """Levels of these indicators whose weighted sum is exactly ``target`` (greedy, largest weight first)."""
    rem, levels = Decimal(target), {}
    for ind in sorted(indicators, key=lambda i: -i.weight):
        level = int(min(3, rem // ind.weight))
        if level:
            levels[ind.code] = level
            rem -= ind.weight * level
    assert rem == 0, f"cannot reach {target}"
    return levels


def full_levels(indicators) -> dict:
    return {i.code: 3 for i in indicators}


def assessment_with_total(ruleset, total) -> AssessmentInput:
    """An assessment whose exact total score is ``total``: SPD 0 or full, 200 innovations, yandas covered or not."""
    total = Decimal(total)
    if total == 0:
        return AssessmentInput(yandas_covered=0)
    jumlah = ruleset.jumlah.weight * min(N_FINE, ruleset.jumlah.cap)
    yandas = ruleset.jumlah.yandas_total if total >= jumlah else 0
    rest = total - (jumlah if yandas else 0)
    spd = {}
    if rest * N_FINE > ruleset.sid_indicators_max * N_FINE:
        spd = full_levels(ruleset.spd_indicators)
        rest -= ruleset.spd_max
    points = rest * max(N_FINE, ruleset.divisor_min)
    assert points == points.to_integral_value() and 0 <= points <= ruleset.sid_indicators_max * N_FINE, total
    base, extra = divmod(int(points), N_FINE)
    innovations = []
    for k in range(N_FINE):
        target = base + (1 if k < extra else 0)
        levels = levels_for(ruleset.sid_indicators, target)
        assert innovation_score(ruleset, levels) == target
        innovations.append(InnovationInput(id=f"inv-{k}", levels=levels))
    return AssessmentInput(spd=spd, innovations=tuple(innovations), yandas_covered=yandas)

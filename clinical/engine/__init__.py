"""The pathway engine: pure Python, no database.

A pathway version is a FHIR R4 Questionnaire (what to ask) plus criteria (what "meets criteria"
means). Given the raw answers of a form and the facts of the case, `evaluate` says which questions
are enabled, what is wrong with the answers, and, once complete, the outcome with its reasons.

The engine never denies: no passing rule means "needs clinical review" (only a physician denies).

Questionnaire subset (validated by `compile_pathway`):
- item: linkId, text, type (group, display, boolean, choice, integer, decimal, date, string,
  text), required, repeats (choice only), answerOption (valueCoding.code / valueString),
  item (children of a group), enableWhen (question, operator =, !=, >, <, >=, <=, exists;
  answerBoolean / answerInteger / answerDecimal / answerDate / answerString / answerCoding),
  enableBehavior (all, any; default all);
- extensions: minValue / maxValue (integer, decimal), and SDC enableWhenExpression limited to
  comparisons of %age (whole years), %sex (F, M, U) or %procedure (the CPT code) with a literal,
  joined by "and": "%age >= 19", "%age < 19 and %sex = 'F'", "%procedure = '71271'".

Criteria: a list of rules {id, reason, guideline, when}; `when` is a condition:
- {"all": [c, ...]}, {"any": [c, ...]}, {"not": c}
- {"fact": F, "op": OP, "value": V} with F one of "answer:<linkId>", "age", "sex",
  "diagnosis" (any of the case's ICD-10-CM codes), "days_since_prior_imaging", "procedure";
  OP one of eq, ne, gt, gte, lt, lte, in, not_in, exists, not_exists, contains (a repeating
  answer holds V), prefix (diagnosis starts with any of V), range (diagnosis within
  [V[0], V[1]] by code order, inclusive, compared on the code without its dot).
"""

from clinical.engine.compiler import compile_pathway
from clinical.engine.criteria import describe_condition
from clinical.engine.evaluation import evaluate
from clinical.engine.model import (
    CaseFacts,
    CompiledPathway,
    Evaluation,
    Item,
    Option,
    Outcome,
    PathwayError,
    Rule,
    UnmetRule,
)

__all__ = [
    "CaseFacts",
    "CompiledPathway",
    "Evaluation",
    "Item",
    "Option",
    "Outcome",
    "PathwayError",
    "Rule",
    "UnmetRule",
    "compile_pathway",
    "describe_condition",
    "evaluate",
]

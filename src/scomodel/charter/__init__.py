"""The SCO's rules as code: rulebooks with dates, the rules in force, eligibility, rights,
proceedings, the consensus decision rule and a check of the recorded history.

``decision_rule(org, on)`` is the entry point other parts use (the bargaining engine asks
it whether a decision passes given who objects).
"""

from scomodel.charter.decision import DecisionRule, decision_rule
from scomodel.charter.eligibility import Eligibility, eligible
from scomodel.charter.engine import RuleSet, rules_in_force, what_if
from scomodel.charter.history import Check, check_history
from scomodel.charter.loader import load_rulebook, load_rulebooks
from scomodel.charter.model import Rulebook
from scomodel.charter.proceedings import Outcome, load_proceeding, proceed
from scomodel.charter.rights import RightsRow, rights, rights_for_status

__all__ = [
    "DecisionRule",
    "decision_rule",
    "Eligibility",
    "eligible",
    "RuleSet",
    "rules_in_force",
    "what_if",
    "Check",
    "check_history",
    "load_rulebook",
    "load_rulebooks",
    "Rulebook",
    "Outcome",
    "load_proceeding",
    "proceed",
    "RightsRow",
    "rights",
    "rights_for_status",
]

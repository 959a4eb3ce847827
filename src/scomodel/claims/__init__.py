"""The seeds' claims, checked against what happened.

A *claim* is an expectation of zhao2004 or masuda2011 (``data/claims/*.yaml``) with an
operationalization: a named query of the registry, charter, architecture or bargaining
parts and the threshold that decides it. The verdict (holds, partly, fails, undecided)
is computed from the data as of a day, never written down. See ``docs/claims.md``.
"""

from scomodel.claims.ledger import claim_rows, explain, ledger, timeline
from scomodel.claims.loader import QUERIES, LoadedClaim, claim_by_id, load_claims
from scomodel.claims.verdict import VERDICTS, Evaluation, evaluate, evaluate_all

__all__ = ["QUERIES", "LoadedClaim", "claim_by_id", "load_claims", "VERDICTS", "Evaluation",
           "evaluate", "evaluate_all", "ledger", "claim_rows", "explain",
           "timeline"]

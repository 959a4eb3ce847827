"""Why an answer is what it is: a tree of the spells, facts, rules and sources behind it.

What OpenFisca's tracer does for tax law, for the model's answers: every node is one thing
the answer relied on (a spell read from the registry, a dated fact, a rule with its
effective dates and the rulebook version it comes from, a source with its locator, a
step of a procedure, a decision), and its children are what *that* relied on. The parts
build traces while they answer (a function takes ``trace=`` and adds to it); the faces
(CLI, API) only render them, as an indented tree or as JSON under a ``trace`` key beside
the unchanged answer.

No dependency on any part: nodes hold plain data, so this module can be imported by all.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["KINDS", "Node", "NULL", "new_trace", "explained"]

#: What a node can stand for. ``answer`` is the root (the question asked); ``rulebook`` a
#: document in force; the others as in the module docstring.
KINDS: tuple[str, ...] = (
    "answer", "spell", "fact", "rule", "rulebook", "source", "step", "decision",
)


@dataclass
class Node:
    """One thing an answer relied on, and what it relied on in turn.

    ``effective`` is the span the thing holds for (a spell's start and end, a rule's
    first day in force and first day no longer in force; ``None`` for open), ``version``
    which edition it was read from (a rulebook id, a dataset), ``detail`` anything else
    worth showing (a verdict, a verification mark, a criterion's result).
    """

    kind: str
    id: str
    label: str = ""
    effective: dict[str, str | None] | None = None
    version: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)
    children: list[Node] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown trace node kind {self.kind!r}: expected one of {KINDS}")

    def add(
        self,
        kind: str,
        id: str,
        label: str = "",
        *,
        start: str | None = None,
        end: str | None = None,
        version: str | None = None,
        **detail: Any,
    ) -> Node:
        """Add a child and return it (so its own children can be added to it)."""
        effective = {"from": start, "until": end} if start is not None or end is not None \
            else None
        node = Node(kind, id, label, effective, version,
                    {k: v for k, v in detail.items() if v is not None})
        self.children.append(node)
        return node

    def sources(self, refs: Iterable[Mapping[str, Any]] | None,
                titles: Mapping[str, str] | None = None) -> Node:
        """Add one ``source`` child per citation ``{source, locator}`` (titles if known)."""
        for ref in refs or []:
            key = str(ref.get("source") or ref.get("key") or "?")
            self.add("source", key, str(ref.get("locator") or ""),
                     title=(titles or {}).get(key))
        return self

    def walk(self) -> Iterator[Node]:
        """This node and every node below it, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()

    def find(self, kind: str) -> list[Node]:
        """Every node of ``kind`` in the tree (e.g. all the rules an answer used)."""
        return [n for n in self.walk() if n.kind == kind]

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "id": self.id, "label": self.label}
        if self.effective is not None:
            out["effective"] = dict(self.effective)
        if self.version is not None:
            out["version"] = self.version
        if self.detail:
            out["detail"] = dict(self.detail)
        out["children"] = [c.to_dict() for c in self.children]
        return out

    def lines(self, depth: int = 0) -> list[str]:
        """The tree as indented text lines, one node a line."""
        head = f"{'  ' * depth}{self.kind} {self.id}"
        if self.label:
            head += f": {self.label}"
        extras = []
        if self.effective is not None:
            extras.append(f"{self.effective.get('from') or '…'} – "
                          f"{self.effective.get('until') or 'open'}")
        if self.version:
            extras.append(self.version)
        for key in ("verification", "result", "verdict", "ok", "title"):
            if key in self.detail:
                extras.append(f"{key}={self.detail[key]}")
        if extras:
            head += f" [{'; '.join(str(e) for e in extras)}]"
        return [head] + [line for c in self.children for line in c.lines(depth + 1)]

    def render(self) -> str:
        return "\n".join(self.lines())


class _Null(Node):
    """A trace nobody asked for: every addition is dropped, so code can always add."""

    def add(self, kind: str, id: str, label: str = "", **_: Any) -> Node:  # noqa: D102
        return self

    def sources(self, refs: Any, titles: Any = None) -> Node:  # noqa: D102
        return self


#: The trace to add to when none was asked for (``trace or NULL``).
NULL: Node = _Null("answer", "none")


def new_trace(question: str, label: str = "", **detail: Any) -> Node:
    """The root of a trace: the question asked (``status IND SCO 2016-06-01``)."""
    return Node("answer", question, label, detail={k: v for k, v in detail.items()
                                                    if v is not None})


def explained(answer: Any, trace: Node | None, key: str = "rows") -> Any:
    """The answer with its trace beside it: a mapping answer gains a ``trace`` key (its
    own keys unchanged), any other answer goes under ``key``. Without a trace, the answer
    as it is, so ``--explain`` only ever adds."""
    if trace is None:
        return answer
    if isinstance(answer, Mapping):
        return {**answer, "trace": trace.to_dict()}
    return {key: answer, "trace": trace.to_dict()}

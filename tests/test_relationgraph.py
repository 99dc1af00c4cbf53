"""Cycles of `responds-to`: every strongly connected group is found, each reported by one cycle."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from kb.checks.relationgraph import relation_cycles, strongly_connected

NODES = [f"c{i}" for i in range(8)]


def reachable(edges: dict[str, list[str]], start: str) -> set[str]:
    seen, todo = set(), list(edges.get(start, []))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, []))
    return seen


GRAPHS = st.dictionaries(st.sampled_from(NODES), st.lists(st.sampled_from(NODES), unique=True, max_size=4))


@settings(max_examples=300, deadline=None)
@given(GRAPHS)
def test_groups_are_the_nodes_that_reach_each_other(edges: dict[str, list[str]]) -> None:
    groups = strongly_connected(edges)
    for group in groups:
        for node in group:
            assert group - {node} <= reachable(edges, node)
    nodes = [node for group in groups for node in group]
    assert len(nodes) == len(set(nodes)) and set(edges) <= set(nodes)


@settings(max_examples=300, deadline=None)
@given(GRAPHS)
def test_each_reported_cycle_is_real_and_every_node_on_a_cycle_is_covered(edges: dict[str, list[str]]) -> None:
    cycles = relation_cycles(edges)
    for cycle in cycles:
        assert len(cycle) >= 2 and cycle[0] == min(cycle) and len(set(cycle)) == len(cycle)
        for here, there in zip(cycle, cycle[1:] + cycle[:1]):
            assert there in edges.get(here, [])
    on_cycles = {node for node in edges for other in reachable(edges, node) if other != node
                 and node in reachable(edges, other)}
    groups = [group for group in strongly_connected(edges) if len(group) > 1]
    assert {node for group in groups for node in group} == on_cycles
    assert sorted(min(group) for group in groups) == [cycle[0] for cycle in cycles]


def test_mutual_and_longer_cycles() -> None:
    edges = {"b": ["a"], "a": ["b"], "x": ["y"], "y": ["z"], "z": ["x"], "p": ["q"], "q": []}
    assert relation_cycles(edges) == [["a", "b"], ["x", "y", "z"]]


def test_a_long_chain_needs_no_recursion() -> None:
    edges = {f"n{i:05d}": [f"n{i + 1:05d}"] for i in range(20_000)}
    edges["n20000"] = ["n00000"]
    (cycle,) = relation_cycles(edges)
    assert len(cycle) == 20_001 and cycle[0] == "n00000"

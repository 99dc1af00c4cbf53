"""Cycles in a relation between claims, for relations that must lead one way (`responds-to`).

Plain functions over a mapping of node to successors; Tarjan's algorithm finds the strongly
connected groups in linear time, and each group of more than one node is reported by one cycle.
"""

from __future__ import annotations


def relation_cycles(edges: dict[str, list[str]]) -> list[list[str]]:
    """One cycle through each strongly connected group of more than one node, as a list of nodes
    starting at the group's smallest; groups in order of that node. An edge from a node to itself
    is no cycle here (a relation to itself is reported on its own)."""
    edges = {node: [successor for successor in successors if successor != node] for node, successors in edges.items()}
    cycles = []
    for group in strongly_connected(edges):
        if len(group) > 1:
            cycles.append(_shortest_cycle(min(group), group, edges))
    return sorted(cycles)


def strongly_connected(edges: dict[str, list[str]]) -> list[set[str]]:
    """Tarjan's strongly connected components, iteratively (a chain of 10,000 claims is no recursion)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []
    for root in edges:
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, next_edge = work.pop()
            if next_edge == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            successors = edges.get(node, [])
            if next_edge < len(successors):
                work.append((node, next_edge + 1))
                successor = successors[next_edge]
                if successor not in index:
                    work.append((successor, 0))
                elif successor in on_stack:
                    low[node] = min(low[node], index[successor])
                continue
            if low[node] == index[node]:
                group = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.add(member)
                    if member == node:
                        break
                groups.append(group)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return groups


def _shortest_cycle(start: str, group: set[str], edges: dict[str, list[str]]) -> list[str]:
    """The shortest path from `start` back to itself inside `group` (breadth first, smallest ids first)."""
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in edges.get(node, []):
                if successor == start:
                    cycle = [node]
                    while cycle[-1] != start:
                        cycle.append(came_from[cycle[-1]])
                    return cycle[::-1]
                if successor in group and successor not in came_from:
                    came_from[successor] = node
                    following.append(successor)
        frontier = following
    raise ValueError(f"{start} is on no cycle of its group")

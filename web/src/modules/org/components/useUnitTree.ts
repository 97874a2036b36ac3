/**
 * The part of the unit tree loaded so far: GET /api/units/tree gives the roots of the user's scope,
 * GET /api/units/tree?parentId=ID the children of a unit. Shared by the org tree and the unit pickers.
 */
import { useCallback, useMemo, useRef, useState } from 'react';
import type { UnitTreeNode } from '@dudao/contracts';
import { api } from '../../../app/api.ts';

/** Key under which the roots are listed. */
export const ROOT = '';

interface State {
  nodes: Record<string, UnitTreeNode>;
  /** Loaded children ids by parent id (ROOT for the roots). */
  children: Record<string, string[]>;
}

export interface UnitTreeStore extends State {
  roots: UnitTreeNode[];
  /** Loads (or reloads) the children of a unit, or the roots for null. */
  load: (parentId: string | null) => Promise<UnitTreeNode[]>;
  /** The children of a unit (or the roots), loading them only if not loaded yet. */
  ensure: (parentId: string | null) => Promise<UnitTreeNode[]>;
  isLoaded: (parentId: string | null) => boolean;
  /** The latest loaded node, also from callbacks that outlive a render. */
  getNode: (id: string) => UnitTreeNode | undefined;
  childrenOf: (parentId: string | null) => UnitTreeNode[];
}

export function useUnitTree(): UnitTreeStore {
  const [state, setState] = useState<State>({ nodes: {}, children: {} });
  const pending = useRef(new Map<string, Promise<UnitTreeNode[]>>());
  const stateRef = useRef(state);
  stateRef.current = state;

  const load = useCallback((parentId: string | null) => {
    const key = parentId ?? ROOT;
    const running = pending.current.get(key);
    if (running) return running;
    const promise = api
      .get<UnitTreeNode[]>('/api/units/tree', parentId ? { parentId } : undefined)
      .then((items) => {
        setState((prev) => {
          const nodes = { ...prev.nodes };
          for (const item of items) nodes[item.id] = item;
          const parent = parentId ? nodes[parentId] : undefined;
          if (parent && parent.childCount !== items.length)
            nodes[parent.id] = { ...parent, childCount: items.length };
          return { nodes, children: { ...prev.children, [key]: items.map((i) => i.id) } };
        });
        return items;
      })
      .finally(() => pending.current.delete(key));
    pending.current.set(key, promise);
    return promise;
  }, []);

  const isLoaded = useCallback(
    (parentId: string | null) => (parentId ?? ROOT) in stateRef.current.children,
    [],
  );

  const ensure = useCallback(
    async (parentId: string | null) => {
      const { children, nodes } = stateRef.current;
      const ids = children[parentId ?? ROOT];
      if (!ids) return load(parentId);
      return ids.flatMap((id) => (nodes[id] ? [nodes[id]] : []));
    },
    [load],
  );

  const getNode = useCallback((id: string) => stateRef.current.nodes[id], []);

  const childrenOf = useCallback(
    (parentId: string | null) =>
      (state.children[parentId ?? ROOT] ?? []).flatMap((id) => (state.nodes[id] ? [state.nodes[id]] : [])),
    [state],
  );

  const roots = useMemo(() => childrenOf(null), [childrenOf]);

  return { ...state, roots, load, ensure, isLoaded, getNode, childrenOf };
}

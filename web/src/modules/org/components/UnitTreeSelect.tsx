/** A unit picker over the lazily loaded tree (GET /api/units/tree). */
import { useEffect, useMemo, type CSSProperties, type ReactNode } from 'react';
import { TreeSelect } from 'antd';
import type { UnitTreeNode } from '@dudao/contracts';
import { useUnitTree } from './useUnitTree.ts';

interface Props {
  value?: string | null;
  onChange?: (value: string | undefined) => void;
  /** Names of units that may be selected but not loaded yet (e.g. a user's unit), by id. */
  knownNames?: Record<string, string>;
  placeholder?: string;
  allowClear?: boolean;
  /** Only these kinds may be picked; the others are shown to navigate. */
  selectable?: UnitTreeNode['kind'][];
  disabled?: boolean;
  style?: CSSProperties;
  className?: string;
  'data-testid'?: string;
}

interface LabeledValue {
  value: string;
  label?: ReactNode;
}

export function UnitTreeSelect({
  value,
  onChange,
  knownNames,
  placeholder,
  allowClear = true,
  selectable,
  disabled,
  style,
  className,
  'data-testid': testId,
}: Props) {
  const store = useUnitTree();
  const { nodes, children, load } = store;

  useEffect(() => {
    load(null).catch(() => undefined);
  }, [load]);

  const treeData = useMemo(
    () =>
      Object.entries(children).flatMap(([parent, ids]) =>
        ids.flatMap((id) => {
          const node = nodes[id];
          if (!node) return [];
          return [
            {
              id,
              pId: parent || undefined,
              value: id,
              title: node.name,
              isLeaf: node.childCount === 0,
              selectable: !selectable || selectable.includes(node.kind),
            },
          ];
        }),
      ),
    [nodes, children, selectable],
  );

  const labeled: LabeledValue | undefined = value
    ? { value, label: nodes[value]?.name ?? knownNames?.[value] ?? value }
    : undefined;

  return (
    <TreeSelect<LabeledValue>
      labelInValue
      value={labeled}
      onChange={(v) => onChange?.(v?.value)}
      treeDataSimpleMode
      treeData={treeData}
      loadData={async ({ value: id }) => {
        if (typeof id === 'string') await load(id);
      }}
      treeLoadedKeys={Object.keys(children).filter((k) => k !== '')}
      placeholder={placeholder}
      allowClear={allowClear}
      showSearch={false}
      disabled={disabled}
      style={style}
      className={className}
      popupMatchSelectWidth={false}
      styles={{ popup: { root: { maxHeight: 400, overflow: 'auto', minWidth: 260 } } }}
      data-testid={testId}
    />
  );
}

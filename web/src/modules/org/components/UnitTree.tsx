/** The org tree, loaded one level at a time as the user opens it. */
import { useMemo, type Key } from 'react';
import { Tree, Typography } from 'antd';
import type { TreeDataNode } from 'antd';
import { BankOutlined, HomeOutlined, ReadOutlined } from '@ant-design/icons';
import type { UnitTreeNode } from '@dudao/contracts';
import { useI18n } from '../../../app/i18n.tsx';
import { ROOT, type UnitTreeStore } from './useUnitTree.ts';

export function UnitKindIcon({ kind }: { kind: UnitTreeNode['kind'] }) {
  if (kind === 'city_bureau') return <BankOutlined />;
  if (kind === 'county_bureau') return <HomeOutlined />;
  return <ReadOutlined />;
}

interface Props {
  store: UnitTreeStore;
  selectedId: string | null;
  expandedKeys: string[];
  onExpand: (keys: string[]) => void;
  onSelect: (node: UnitTreeNode) => void;
}

export function UnitTree({ store, selectedId, expandedKeys, onExpand, onSelect }: Props) {
  const { t } = useI18n();
  const { nodes, children } = store;

  const treeData = useMemo(() => {
    const build = (parent: string): TreeDataNode[] =>
      (children[parent] ?? []).flatMap((id) => {
        const node = nodes[id];
        if (!node) return [];
        const loaded = children[id];
        return [
          {
            key: id,
            isLeaf: node.childCount === 0 && !(loaded && loaded.length > 0),
            icon: <UnitKindIcon kind={node.kind} />,
            title: (
              <span className={node.status === 'disabled' ? 'tree-node-disabled' : undefined}>
                {node.name}
                {node.status === 'disabled' ? (
                  <Typography.Text type="secondary" className="tree-node-tag">
                    {t('org.disabled')}
                  </Typography.Text>
                ) : null}
              </span>
            ),
            children: loaded ? build(id) : undefined,
          },
        ];
      });
    return build(ROOT);
  }, [nodes, children, t]);

  return (
    <div data-testid="org-tree" className="org-tree">
      <Tree
        showIcon
        blockNode
        treeData={treeData}
        selectedKeys={selectedId ? [selectedId] : []}
        expandedKeys={expandedKeys}
        loadedKeys={Object.keys(children).filter((k) => k !== ROOT)}
        loadData={async ({ key }) => {
          await store.load(String(key));
        }}
        onExpand={(keys: Key[]) => onExpand(keys.map(String))}
        onSelect={(_keys, info) => {
          const node = nodes[String(info.node.key)];
          if (node) onSelect(node);
        }}
      />
    </div>
  );
}

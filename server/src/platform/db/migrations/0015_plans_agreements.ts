import { sql, type Kysely } from 'kysely';

/**
 * Responsibility agreements (目标管理责任书, 安全稳定目标责任书, 承诺书 …) of 部署·督办 (issue 6): the kinds of
 * agreement (a built-in list, owner null, plus kinds a bureau adds), a round per issuing bureau, kind and year
 * sent to its counties or schools, and each unit's signing record with the signed document (a stored_file,
 * its type sniffed on upload): pending (未签), signed (已签), or returned by the issuer with a reason (已退回).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table agreement_kind (
      id uuid primary key,
      owner_unit_id uuid references unit (id),
      code text,
      name text not null,
      description text,
      active boolean not null default true,
      created_at timestamptz not null default now(),
      unique (code)
    );
    create unique index agreement_kind_name_idx on agreement_kind (coalesce(owner_unit_id::text, ''), name);

    insert into agreement_kind (id, code, name, description) values
      ('00000000-0000-7000-8000-00000000a001', 'goal', '目标管理责任书', '年度教育工作目标管理责任书'),
      ('00000000-0000-7000-8000-00000000a002', 'safety', '安全稳定目标责任书', '校园安全稳定工作目标责任书'),
      ('00000000-0000-7000-8000-00000000a003', 'integrity', '党风廉政建设责任书', '党风廉政建设目标责任书'),
      ('00000000-0000-7000-8000-00000000a004', 'ideology', '意识形态工作责任书', '意识形态工作责任制责任书'),
      ('00000000-0000-7000-8000-00000000a005', 'ethics', '师德师风承诺书', '师德师风建设承诺书'),
      ('00000000-0000-7000-8000-00000000a006', 'pledge', '承诺书', '其他承诺书');

    create table agreement_round (
      id uuid primary key,
      issuer_unit_id uuid not null references unit (id),
      kind_id uuid not null references agreement_kind (id),
      year integer not null,
      title text not null,
      unit_kind text not null check (unit_kind in ('county_bureau', 'school')),
      due_on date,
      note text,
      created_by uuid references app_user (id),
      created_at timestamptz not null default now(),
      unique (issuer_unit_id, kind_id, year, unit_kind)
    );
    create index agreement_round_issuer_idx on agreement_round (issuer_unit_id, year);

    create table agreement_signing (
      id uuid primary key,
      round_id uuid not null references agreement_round (id) on delete cascade,
      unit_id uuid not null references unit (id),
      status text not null default 'pending' check (status in ('pending', 'signed', 'returned')),
      signed_on date,
      signer_name text,
      signer_role text,
      file_id uuid references stored_file (id),
      file_type text,
      submitted_at timestamptz,
      submitted_by_name text,
      returned_reason text,
      returned_at timestamptz,
      returned_by_name text,
      updated_at timestamptz not null default now(),
      unique (round_id, unit_id),
      check (status <> 'signed' or (signed_on is not null and file_id is not null and signer_name is not null))
    );
    create index agreement_signing_unit_idx on agreement_signing (unit_id);
  `.execute(db);
}

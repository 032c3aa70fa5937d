import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateVisitation1795448142758 implements MigrationInterface {
  name = 'CreateVisitation1795448142758';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "assessment" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "citizen_id" uuid NOT NULL, "case_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'draft', "assessed_on" date, "background" text, "citizen_wishes" text, "professional_assessment" text, "caseworker_id" uuid NOT NULL, "completed_at" TIMESTAMP WITH TIME ZONE, "completed_by" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_assessment_completed" CHECK ((status = 'completed') = (completed_at IS NOT NULL AND completed_by IS NOT NULL AND assessed_on IS NOT NULL)), CONSTRAINT "ck_assessment_status" CHECK (status IN ('draft', 'completed')), CONSTRAINT "PK_c511a7dc128256876b6b1719401" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_assessment_citizen" ON "assessment"  ("citizen_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_assessment_case" ON "assessment"  ("case_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "assessment_section" ("assessment_id" uuid NOT NULL, "section" text NOT NULL, "level" smallint, "description" text, "sources" text array NOT NULL DEFAULT '{}', CONSTRAINT "ck_assessment_section_sources" CHECK (sources <@ ARRAY['citizen', 'caseworker', 'relative', 'provider', 'healthProfessional', 'other']::text[]), CONSTRAINT "ck_assessment_section_level" CHECK (level IS NULL OR (level BETWEEN 0 AND 4 AND section IN ('selfCare', 'practicalTasks', 'mobility', 'communication', 'relations', 'communityLife'))), CONSTRAINT "ck_assessment_section_name" CHECK (section IN ('selfCare', 'practicalTasks', 'mobility', 'communication', 'relations', 'communityLife', 'mentalFunctions', 'physicalFunctions', 'healthConditions', 'socialConditions', 'network', 'attitudes', 'housingArea')), CONSTRAINT "PK_9651d5fd0c573ec0d8f286db0d4" PRIMARY KEY ("assessment_id", "section"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "assessment_support_need" ("assessment_id" uuid NOT NULL, "standard_code" text NOT NULL, "level" text NOT NULL, "note" text, CONSTRAINT "ck_assessment_support_need_level" CHECK (level IN ('none', 'light', 'moderate', 'high', 'total', 'notAssessed')), CONSTRAINT "PK_61803d364a234e8b6795ddd4f77" PRIMARY KEY ("assessment_id", "standard_code"))`,
    );
    await queryRunner.query(`CREATE TABLE "decision" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "citizen_id" uuid NOT NULL, "case_id" uuid NOT NULL, "inquiry_id" uuid, "assessment_id" uuid, "kind" text NOT NULL, "status" text NOT NULL DEFAULT 'draft', "standard_id" uuid NOT NULL, "standard_code" text NOT NULL, "standard_version_id" uuid NOT NULL, "standard_version_no" integer NOT NULL, "decided_on" date NOT NULL, "legal_basis" text NOT NULL, "scope" numeric(8,2), "scope_unit" text NOT NULL, "requested_scope" numeric(8,2), "valid_from" date, "valid_to" date, "institution_id" uuid, "grant_id" uuid, "service_purpose" text, "reasoning" text NOT NULL, "least_intervention_required" boolean NOT NULL, "least_intervention_justification" text, "hearing_held_on" date, "hearing_summary" text, "hearing_exemption_reason" text, "panel_required" boolean NOT NULL, "appealable" boolean NOT NULL, "notified_on" date, "notification_channel" text, "received_on" date, "complaint_deadline" date, "complaint_guidance" text, "notified_at" TIMESTAMP WITH TIME ZONE, "notified_by" uuid, "caseworker_id" uuid NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_decision_notified" CHECK ((status = 'notified') = (notified_on IS NOT NULL AND notification_channel IS NOT NULL AND received_on IS NOT NULL AND notified_at IS NOT NULL)
   AND (status <> 'notified' OR appealable = (complaint_deadline IS NOT NULL AND complaint_guidance IS NOT NULL))
   AND (notified_on IS NULL OR notified_on >= decided_on)), CONSTRAINT "ck_decision_hearing" CHECK (NOT (hearing_held_on IS NOT NULL AND hearing_exemption_reason IS NOT NULL) AND ((hearing_held_on IS NULL) = (hearing_summary IS NULL))), CONSTRAINT "ck_decision_least_intervention" CHECK (NOT least_intervention_required OR kind NOT IN ('grant', 'change') OR length(btrim(coalesce(least_intervention_justification, ''))) > 0), CONSTRAINT "ck_decision_scope" CHECK (scope IS NULL OR scope > 0), CONSTRAINT "ck_decision_period" CHECK (valid_to IS NULL OR valid_from IS NULL OR valid_to >= valid_from), CONSTRAINT "ck_decision_service_fields" CHECK ((kind NOT IN ('grant', 'change') OR (valid_from IS NOT NULL AND institution_id IS NOT NULL))
   AND (kind <> 'termination' OR valid_to IS NOT NULL)
   AND ((kind IN ('change', 'termination')) = (grant_id IS NOT NULL))), CONSTRAINT "ck_decision_reasoning" CHECK (length(btrim(reasoning)) > 0), CONSTRAINT "ck_decision_channel" CHECK (notification_channel IS NULL OR notification_channel IN ('digitalPost', 'letter', 'handedOver')), CONSTRAINT "ck_decision_status" CHECK (status IN ('draft', 'awaitingPanel', 'approved', 'notified')), CONSTRAINT "ck_decision_kind" CHECK (kind IN ('grant', 'refusal', 'change', 'termination')), CONSTRAINT "PK_fa4cbd6abf1215054f13c27df5a" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE INDEX "ix_decision_citizen" ON "decision"  ("citizen_id", "created_at") `,
    );
    await queryRunner.query(`CREATE INDEX "ix_decision_case" ON "decision"  ("case_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "decision_goal" ("decision_id" uuid NOT NULL, "ordinal" smallint NOT NULL, "description" text NOT NULL, "primary_theme" text NOT NULL, "secondary_themes" text array NOT NULL DEFAULT '{}', "target_level" smallint NOT NULL, "goal_type" text NOT NULL, CONSTRAINT "ck_decision_goal_ordinal" CHECK (ordinal >= 1), CONSTRAINT "ck_decision_goal_type" CHECK (goal_type IN ('develop', 'maintain', 'limitLoss')), CONSTRAINT "ck_decision_goal_level" CHECK (target_level BETWEEN 0 AND 4), CONSTRAINT "ck_decision_goal_theme" CHECK (primary_theme IN ('selfCare', 'practicalTasks', 'mobility', 'communication', 'relations', 'communityLife') AND secondary_themes <@ ARRAY['selfCare', 'practicalTasks', 'mobility', 'communication', 'relations', 'communityLife']::text[] AND NOT (primary_theme = ANY (secondary_themes))), CONSTRAINT "PK_20bd7a99bcc9448d5579030f740" PRIMARY KEY ("decision_id", "ordinal"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "self_referral_admission" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "citizen_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "standard_code" text NOT NULL, "admitted_on" date NOT NULL, "discharged_on" date, "source_ref" text NOT NULL, "status" text NOT NULL DEFAULT 'unconfirmed', "confirmed_at" TIMESTAMP WITH TIME ZONE, "confirmed_by" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_c77511a94461731fc61d522beaa" UNIQUE ("source_ref"), CONSTRAINT "ck_self_referral_admission_period" CHECK (discharged_on IS NULL OR discharged_on >= admitted_on), CONSTRAINT "ck_self_referral_admission_confirmed" CHECK ((status = 'confirmed') = (confirmed_at IS NOT NULL AND confirmed_by IS NOT NULL)), CONSTRAINT "ck_self_referral_admission_status" CHECK (status IN ('unconfirmed', 'confirmed')), CONSTRAINT "PK_03c1c1b692ae6a27c0bcf9c2cf2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "citizen_grant" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "citizen_id" uuid NOT NULL, "case_id" uuid, "decision_id" uuid, "admission_id" uuid, "standard_id" uuid NOT NULL, "standard_code" text NOT NULL, "standard_version_id" uuid NOT NULL, "standard_version_no" integer NOT NULL, "scope" numeric(8,2), "scope_unit" text NOT NULL, "institution_id" uuid NOT NULL, "rate_id" uuid, "valid_from" date NOT NULL, "valid_to" date, "ended_by_decision_id" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_citizen_grant_scope" CHECK (scope IS NULL OR scope > 0), CONSTRAINT "ck_citizen_grant_period" CHECK (valid_to IS NULL OR valid_to >= valid_from), CONSTRAINT "ck_citizen_grant_origin" CHECK ((decision_id IS NULL) <> (admission_id IS NULL)), CONSTRAINT "ex_citizen_grant_overlap" EXCLUDE USING gist (citizen_id WITH =, standard_id WITH =, daterange(valid_from, valid_to, '[]') WITH &&), CONSTRAINT "PK_dbec4b6e33aceeb9efe9b76dc06" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_citizen_grant_admission" ON "citizen_grant"  ("admission_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_citizen_grant_decision" ON "citizen_grant"  ("decision_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_citizen_grant_institution" ON "citizen_grant"  ("institution_id", "valid_from") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_citizen_grant_citizen" ON "citizen_grant"  ("citizen_id", "valid_from") `,
    );
    await queryRunner.query(
      `CREATE TABLE "service_order" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "grant_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'sent', "content" jsonb NOT NULL, "action_plan_id" uuid, "sent_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "responded_at" TIMESTAMP WITH TIME ZONE, "rejection_reason" text, "start_date" date, "ended_on" date, "version" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_0c12c44f6d7cfd63955ce137577" UNIQUE ("grant_id"), CONSTRAINT "REL_0c12c44f6d7cfd63955ce13757" UNIQUE ("grant_id"), CONSTRAINT "ck_service_order_accepted" CHECK (status NOT IN ('accepted') OR start_date IS NOT NULL), CONSTRAINT "ck_service_order_ended" CHECK ((status = 'ended') = (ended_on IS NOT NULL)), CONSTRAINT "ck_service_order_rejected" CHECK ((status = 'rejected') = (rejection_reason IS NOT NULL)), CONSTRAINT "ck_service_order_status" CHECK (status IN ('sent', 'accepted', 'rejected', 'ended')), CONSTRAINT "PK_b01a59b48a0dfbd84dd8221364a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_service_order_citizen" ON "service_order"  ("citizen_id", "sent_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_service_order_institution" ON "service_order"  ("institution_id", "status", "sent_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "panel_review" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "decision_id" uuid NOT NULL, "reviewer_id" uuid NOT NULL, "outcome" text NOT NULL, "comment" text, "reviewed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_panel_review_comment" CHECK (outcome = 'approved' OR length(btrim(coalesce(comment, ''))) > 0), CONSTRAINT "ck_panel_review_outcome" CHECK (outcome IN ('approved', 'returned')), CONSTRAINT "PK_7d9a731aa3e44a5268cbdbd0afa" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_panel_review_decision" ON "panel_review"  ("decision_id", "reviewed_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_section" ADD CONSTRAINT "fk_assessment_section_assessment" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_support_need" ADD CONSTRAINT "fk_assessment_support_need_assessment" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "decision" ADD CONSTRAINT "fk_decision_assessment" FOREIGN KEY ("assessment_id") REFERENCES "assessment"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "decision_goal" ADD CONSTRAINT "fk_decision_goal_decision" FOREIGN KEY ("decision_id") REFERENCES "decision"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "citizen_grant" ADD CONSTRAINT "fk_citizen_grant_decision" FOREIGN KEY ("decision_id") REFERENCES "decision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "citizen_grant" ADD CONSTRAINT "fk_citizen_grant_admission" FOREIGN KEY ("admission_id") REFERENCES "self_referral_admission"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "citizen_grant" ADD CONSTRAINT "fk_citizen_grant_ended_by" FOREIGN KEY ("ended_by_decision_id") REFERENCES "decision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "service_order" ADD CONSTRAINT "fk_service_order_grant" FOREIGN KEY ("grant_id") REFERENCES "citizen_grant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "panel_review" ADD CONSTRAINT "fk_panel_review_decision" FOREIGN KEY ("decision_id") REFERENCES "decision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // --- written by hand below ---
    await queryRunner.query(
      `CREATE INDEX ix_decision_open ON decision (caseworker_id, status) WHERE status <> 'notified'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_decision_inquiry ON decision (inquiry_id) WHERE status = 'notified'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_self_referral_admission_open ON self_referral_admission (admitted_on) WHERE status = 'unconfirmed'`,
    );

    // References into other contexts' tables (citizens, organisation, catalogue) are checked by a trigger, not
    // a foreign key: the entities never import another context's entities. Arguments: (column, table) pairs.
    await queryRunner.query(`
          CREATE FUNCTION visitation_check_references() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            i int := 0;
            val uuid;
            found boolean;
          BEGIN
            WHILE i < TG_NARGS LOOP
              val := (to_jsonb(NEW) ->> TG_ARGV[i])::uuid;
              IF val IS NOT NULL THEN
                EXECUTE format('SELECT EXISTS (SELECT 1 FROM %I WHERE id = $1)', TG_ARGV[i + 1]) INTO found USING val;
                IF NOT found THEN
                  RAISE EXCEPTION '% % does not exist', TG_ARGV[i + 1], val
                    USING ERRCODE = '23503', CONSTRAINT = format('fk_%s_%s', TG_TABLE_NAME, TG_ARGV[i]);
                END IF;
              END IF;
              i := i + 2;
            END LOOP;
            IF TG_TABLE_NAME IN ('assessment', 'decision') AND NOT EXISTS
               (SELECT 1 FROM citizen_case
                 WHERE id = (to_jsonb(NEW) ->> 'case_id')::uuid AND citizen_id = (to_jsonb(NEW) ->> 'citizen_id')::uuid) THEN
              RAISE EXCEPTION 'the case is not the citizen''s' USING ERRCODE = '23514', CONSTRAINT = 'ck_visitation_case_citizen';
            END IF;
            RETURN NEW;
          END $$`);
    const references: [string, string, string[]][] = [
      ['assessment', 'citizen_id, case_id', ['citizen_id', 'citizen', 'case_id', 'citizen_case']],
      [
        'decision',
        'citizen_id, case_id, inquiry_id, institution_id, standard_version_id, grant_id',
        [
          'citizen_id',
          'citizen',
          'case_id',
          'citizen_case',
          'inquiry_id',
          'inquiry',
          'institution_id',
          'org_unit',
          'standard_version_id',
          'quality_standard_version',
          'grant_id',
          'citizen_grant',
        ],
      ],
      [
        'citizen_grant',
        'citizen_id, institution_id, standard_version_id, rate_id',
        [
          'citizen_id',
          'citizen',
          'institution_id',
          'org_unit',
          'standard_version_id',
          'quality_standard_version',
          'rate_id',
          'rate',
        ],
      ],
      [
        'service_order',
        'citizen_id, institution_id',
        ['citizen_id', 'citizen', 'institution_id', 'org_unit'],
      ],
      [
        'self_referral_admission',
        'citizen_id, institution_id',
        ['citizen_id', 'citizen', 'institution_id', 'org_unit'],
      ],
    ];
    for (const [table, columns, args] of references)
      await queryRunner.query(
        `CREATE TRIGGER trg_${table}_references BEFORE INSERT OR UPDATE OF ${columns} ON ${table}
           FOR EACH ROW EXECUTE FUNCTION visitation_check_references(${args.map((a) => `'${a}'`).join(', ')})`,
      );

    // A completed assessment never changes, nor do its sections and support needs. Completing requires all
    // six activity themes to be scored or marked not assessed.
    await queryRunner.query(`
          CREATE FUNCTION assessment_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF OLD.status = 'completed' THEN
              RAISE EXCEPTION 'a completed assessment never changes' USING ERRCODE = '23514', CONSTRAINT = 'ck_assessment_immutable';
            END IF;
            IF TG_OP = 'DELETE' THEN
              RETURN OLD;
            END IF;
            IF NEW.status = 'completed' AND (SELECT count(*) FROM assessment_section
                 WHERE assessment_id = NEW.id AND section IN ('selfCare', 'practicalTasks', 'mobility', 'communication', 'relations', 'communityLife')) < 6 THEN
              RAISE EXCEPTION 'every activity theme must be scored or marked not assessed'
                USING ERRCODE = '23514', CONSTRAINT = 'ck_assessment_themes_complete';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_assessment_guard BEFORE UPDATE OR DELETE ON assessment FOR EACH ROW EXECUTE FUNCTION assessment_guard()`,
    );
    await queryRunner.query(`
          CREATE FUNCTION assessment_part_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            parent uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.assessment_id ELSE NEW.assessment_id END;
          BEGIN
            IF EXISTS (SELECT 1 FROM assessment WHERE id = parent AND status = 'completed')
               OR (TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM assessment WHERE id = OLD.assessment_id AND status = 'completed')) THEN
              RAISE EXCEPTION 'a completed assessment never changes' USING ERRCODE = '23514', CONSTRAINT = 'ck_assessment_immutable';
            END IF;
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
          END $$`);
    for (const table of ['assessment_section', 'assessment_support_need'])
      await queryRunner.query(
        `CREATE TRIGGER trg_${table}_guard BEFORE INSERT OR UPDATE OR DELETE ON ${table} FOR EACH ROW EXECUTE FUNCTION assessment_part_guard()`,
      );

    // Decisions: draft → awaitingPanel → approved | draft (returned); draft or approved → notified. Only a draft's
    // content changes; a decision that needs the panel is notified only once approved; a notified decision never
    // changes and only a draft is deleted (discarded).
    await queryRunner.query(`
          CREATE FUNCTION decision_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            workflow text[] := ARRAY['status', 'version', 'updated_at', 'notified_on', 'notification_channel', 'received_on',
                                     'complaint_deadline', 'complaint_guidance', 'notified_at', 'notified_by'];
          BEGIN
            IF TG_OP = 'DELETE' THEN
              IF OLD.status <> 'draft' THEN
                RAISE EXCEPTION 'only a draft decision is discarded' USING ERRCODE = '23514', CONSTRAINT = 'ck_decision_immutable';
              END IF;
              RETURN OLD;
            END IF;
            IF OLD.status = 'notified' THEN
              RAISE EXCEPTION 'a notified decision never changes; make a new decision' USING ERRCODE = '23514', CONSTRAINT = 'ck_decision_immutable';
            END IF;
            IF OLD.status <> 'draft' AND (to_jsonb(NEW) - workflow) IS DISTINCT FROM (to_jsonb(OLD) - workflow) THEN
              RAISE EXCEPTION 'only a draft decision is edited' USING ERRCODE = '23514', CONSTRAINT = 'ck_decision_locked';
            END IF;
            IF NEW.status <> OLD.status AND NOT (
                 (OLD.status = 'draft' AND NEW.status IN ('awaitingPanel', 'notified'))
              OR (OLD.status = 'awaitingPanel' AND NEW.status IN ('approved', 'draft'))
              OR (OLD.status = 'approved' AND NEW.status = 'notified')) THEN
              RAISE EXCEPTION 'a decision does not go from % to %', OLD.status, NEW.status
                USING ERRCODE = '23514', CONSTRAINT = 'ck_decision_transition';
            END IF;
            IF NEW.status = 'notified' AND NEW.panel_required AND NEW.kind <> 'termination' AND OLD.status <> 'approved' THEN
              RAISE EXCEPTION 'the visitation panel must approve the decision first' USING ERRCODE = '23514', CONSTRAINT = 'ck_decision_panel';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_decision_guard BEFORE UPDATE OR DELETE ON decision FOR EACH ROW EXECUTE FUNCTION decision_guard()`,
    );
    await queryRunner.query(`
          CREATE FUNCTION decision_goal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            parent uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.decision_id ELSE NEW.decision_id END;
          BEGIN
            IF EXISTS (SELECT 1 FROM decision WHERE id = parent AND status <> 'draft') THEN
              RAISE EXCEPTION 'only a draft decision is edited' USING ERRCODE = '23514', CONSTRAINT = 'ck_decision_locked';
            END IF;
            RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_decision_goal_guard BEFORE INSERT OR UPDATE OR DELETE ON decision_goal FOR EACH ROW EXECUTE FUNCTION decision_goal_guard()`,
    );

    // The panel reviews a decision that awaits it, and never one of the reviewer's own. Reviews are kept as given.
    await queryRunner.query(`
          CREATE FUNCTION panel_review_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            d record;
          BEGIN
            SELECT status, caseworker_id INTO d FROM decision WHERE id = NEW.decision_id;
            IF d.status IS DISTINCT FROM 'awaitingPanel' THEN
              RAISE EXCEPTION 'the decision does not await the panel' USING ERRCODE = '23514', CONSTRAINT = 'ck_panel_review_awaiting';
            END IF;
            IF d.caseworker_id = NEW.reviewer_id THEN
              RAISE EXCEPTION 'a caseworker cannot review their own decision' USING ERRCODE = '23514', CONSTRAINT = 'ck_panel_review_not_own';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_panel_review_guard BEFORE INSERT ON panel_review FOR EACH ROW EXECUTE FUNCTION panel_review_guard()`,
    );
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON panel_review FROM bum_app`);

    // A grant is history: never deleted, and only its end is brought forward (by a change or termination).
    await queryRunner.query(`
          CREATE FUNCTION citizen_grant_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            mutable text[] := ARRAY['valid_to', 'ended_by_decision_id', 'version', 'updated_at'];
          BEGIN
            IF (to_jsonb(NEW) - mutable) IS DISTINCT FROM (to_jsonb(OLD) - mutable)
               OR (OLD.valid_to IS NOT NULL AND (NEW.valid_to IS NULL OR NEW.valid_to > OLD.valid_to)) THEN
              RAISE EXCEPTION 'a grant is never rewritten: only its end is brought forward'
                USING ERRCODE = '23514', CONSTRAINT = 'ck_citizen_grant_history';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_citizen_grant_guard BEFORE UPDATE ON citizen_grant FOR EACH ROW EXECUTE FUNCTION citizen_grant_guard()`,
    );
    await queryRunner.query(`REVOKE DELETE, TRUNCATE ON citizen_grant FROM bum_app`);

    // An order: sent → accepted | rejected | ended; accepted → ended. What was sent stays as sent.
    await queryRunner.query(`
          CREATE FUNCTION service_order_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF (NEW.grant_id, NEW.citizen_id, NEW.institution_id, NEW.content, NEW.sent_at)
               IS DISTINCT FROM (OLD.grant_id, OLD.citizen_id, OLD.institution_id, OLD.content, OLD.sent_at) THEN
              RAISE EXCEPTION 'an order''s content stays as sent' USING ERRCODE = '23514', CONSTRAINT = 'ck_service_order_sent';
            END IF;
            IF NEW.status <> OLD.status AND NOT (
                 (OLD.status = 'sent' AND NEW.status IN ('accepted', 'rejected', 'ended'))
              OR (OLD.status = 'accepted' AND NEW.status = 'ended')) THEN
              RAISE EXCEPTION 'an order does not go from % to %', OLD.status, NEW.status
                USING ERRCODE = '23514', CONSTRAINT = 'ck_service_order_transition';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_service_order_guard BEFORE UPDATE ON service_order FOR EACH ROW EXECUTE FUNCTION service_order_guard()`,
    );
    await queryRunner.query(`REVOKE DELETE, TRUNCATE ON service_order FROM bum_app`);
    await queryRunner.query(`REVOKE DELETE, TRUNCATE ON self_referral_admission FROM bum_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'assessment',
      'decision',
      'citizen_grant',
      'service_order',
      'self_referral_admission',
    ])
      await queryRunner.query(`DROP TRIGGER IF EXISTS trg_${table}_references ON ${table}`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_service_order_guard ON service_order`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_citizen_grant_guard ON citizen_grant`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_panel_review_guard ON panel_review`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_decision_goal_guard ON decision_goal`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_decision_guard ON decision`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_assessment_section_guard ON assessment_section`);
    await queryRunner.query(
      `DROP TRIGGER IF EXISTS trg_assessment_support_need_guard ON assessment_support_need`,
    );
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_assessment_guard ON assessment`);
    for (const fn of [
      'service_order_guard',
      'citizen_grant_guard',
      'panel_review_guard',
      'decision_goal_guard',
      'decision_guard',
      'assessment_part_guard',
      'assessment_guard',
      'visitation_check_references',
    ])
      await queryRunner.query(`DROP FUNCTION IF EXISTS ${fn}()`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_self_referral_admission_open`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_decision_inquiry`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_decision_open`);
    await queryRunner.query(`ALTER TABLE "panel_review" DROP CONSTRAINT "fk_panel_review_decision"`);
    await queryRunner.query(`ALTER TABLE "service_order" DROP CONSTRAINT "fk_service_order_grant"`);
    await queryRunner.query(`ALTER TABLE "citizen_grant" DROP CONSTRAINT "fk_citizen_grant_ended_by"`);
    await queryRunner.query(`ALTER TABLE "citizen_grant" DROP CONSTRAINT "fk_citizen_grant_admission"`);
    await queryRunner.query(`ALTER TABLE "citizen_grant" DROP CONSTRAINT "fk_citizen_grant_decision"`);
    await queryRunner.query(`ALTER TABLE "decision_goal" DROP CONSTRAINT "fk_decision_goal_decision"`);
    await queryRunner.query(`ALTER TABLE "decision" DROP CONSTRAINT "fk_decision_assessment"`);
    await queryRunner.query(
      `ALTER TABLE "assessment_support_need" DROP CONSTRAINT "fk_assessment_support_need_assessment"`,
    );
    await queryRunner.query(
      `ALTER TABLE "assessment_section" DROP CONSTRAINT "fk_assessment_section_assessment"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_panel_review_decision"`);
    await queryRunner.query(`DROP TABLE "panel_review"`);
    await queryRunner.query(`DROP INDEX "public"."ix_service_order_institution"`);
    await queryRunner.query(`DROP INDEX "public"."ix_service_order_citizen"`);
    await queryRunner.query(`DROP TABLE "service_order"`);
    await queryRunner.query(`DROP INDEX "public"."ix_citizen_grant_citizen"`);
    await queryRunner.query(`DROP INDEX "public"."ix_citizen_grant_institution"`);
    await queryRunner.query(`DROP INDEX "public"."uq_citizen_grant_decision"`);
    await queryRunner.query(`DROP INDEX "public"."uq_citizen_grant_admission"`);
    await queryRunner.query(`DROP TABLE "citizen_grant"`);
    await queryRunner.query(`DROP TABLE "self_referral_admission"`);
    await queryRunner.query(`DROP TABLE "decision_goal"`);
    await queryRunner.query(`DROP INDEX "public"."ix_decision_case"`);
    await queryRunner.query(`DROP INDEX "public"."ix_decision_citizen"`);
    await queryRunner.query(`DROP TABLE "decision"`);
    await queryRunner.query(`DROP TABLE "assessment_support_need"`);
    await queryRunner.query(`DROP TABLE "assessment_section"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assessment_case"`);
    await queryRunner.query(`DROP INDEX "public"."ix_assessment_citizen"`);
    await queryRunner.query(`DROP TABLE "assessment"`);
  }
}

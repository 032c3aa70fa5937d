import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateFollowThrough1795449509398 implements MigrationInterface {
  name = 'CreateFollowThrough1795449509398';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "action_plan" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "citizen_id" uuid NOT NULL, "case_id" uuid NOT NULL, "legal_basis" text NOT NULL, "created_by" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_action_plan_basis" CHECK (legal_basis IN ('SEL-141', 'SEL-142')), CONSTRAINT "PK_73de59f4ddad48bad469c1afdbd" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_action_plan_citizen" ON "action_plan"  ("citizen_id", "created_at") `,
    );
    await queryRunner.query(`CREATE TABLE "action_plan_version" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "plan_id" uuid NOT NULL, "version_no" integer NOT NULL, "purpose" text NOT NULL, "services" text NOT NULL, "grant_ids" uuid array NOT NULL DEFAULT '{}', "expected_duration" text NOT NULL, "other_matters" text, "status" text NOT NULL DEFAULT 'draft', "offered_on" date, "responded_on" date, "response_note" text, "created_by" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_action_plan_version_no" CHECK (version_no >= 1), CONSTRAINT "ck_action_plan_version_dates" CHECK ((status = 'draft') = (offered_on IS NULL) AND (status IN ('accepted', 'declined')) = (responded_on IS NOT NULL)
   AND (responded_on IS NULL OR responded_on >= offered_on)), CONSTRAINT "ck_action_plan_version_status" CHECK (status IN ('draft', 'offered', 'accepted', 'declined')), CONSTRAINT "PK_82465a009191db45bbd69570305" PRIMARY KEY ("id"))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_action_plan_version" ON "action_plan_version"  ("plan_id", "version_no") `,
    );
    await queryRunner.query(`CREATE TABLE "complaint" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "decision_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "case_id" uuid NOT NULL, "standard_code" text NOT NULL, "legal_basis" text NOT NULL, "received_on" date NOT NULL, "channel" text NOT NULL, "late" boolean NOT NULL, "summary" text NOT NULL, "status" text NOT NULL DEFAULT 'awaitingReassessment', "reassessment_due_on" date NOT NULL, "reassessed_on" date, "reassessment_note" text, "new_decision_id" uuid, "appeal_body" text, "forwarded_on" date, "documents" text array NOT NULL DEFAULT '{}', "outcome" text, "outcome_on" date, "outcome_note" text, "remitted_decision_due_on" date, "created_by" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_complaint_state" CHECK ((status = 'awaitingReassessment') = (reassessed_on IS NULL)
   AND (status <> 'changed' OR new_decision_id IS NOT NULL)
   AND (status IN ('forwarded', 'decided')) = (forwarded_on IS NOT NULL)
   AND (status = 'decided') = (outcome IS NOT NULL AND outcome_on IS NOT NULL)
   AND ((outcome = 'remitted') = (remitted_decision_due_on IS NOT NULL))
   AND (reassessed_on IS NULL OR reassessed_on >= received_on)
   AND (forwarded_on IS NULL OR forwarded_on >= reassessed_on)
   AND (outcome_on IS NULL OR outcome_on >= forwarded_on)), CONSTRAINT "ck_complaint_outcome" CHECK (outcome IS NULL OR outcome IN ('affirmed', 'changed', 'remitted', 'dismissed')), CONSTRAINT "ck_complaint_channel" CHECK (channel IN ('digitalPost', 'letter', 'email', 'phone', 'inPerson')), CONSTRAINT "ck_complaint_status" CHECK (status IN ('awaitingReassessment', 'changed', 'upheld', 'forwarded', 'decided')), CONSTRAINT "PK_a9c8dbc2ab4988edcc2ff0a7337" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_complaint_received" ON "complaint"  ("received_on") `);
    await queryRunner.query(`CREATE INDEX "ix_complaint_decision" ON "complaint"  ("decision_id") `);
    await queryRunner.query(
      `CREATE TABLE "deadline_notice" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "inquiry_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "sent_on" date NOT NULL, "channel" text NOT NULL, "expected_decision_on" date NOT NULL, "reason" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_deadline_notice_expected" CHECK (expected_decision_on >= sent_on), CONSTRAINT "ck_deadline_notice_channel" CHECK (channel IN ('digitalPost', 'letter', 'email', 'phone', 'inPerson')), CONSTRAINT "PK_102d439f17882c15d578e343a29" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_deadline_notice_inquiry" ON "deadline_notice"  ("inquiry_id", "sent_on") `,
    );
    await queryRunner.query(`CREATE TABLE "follow_up" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "grant_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "due_on" date NOT NULL, "source" text NOT NULL, "source_ref" text, "reason" text, "status" text NOT NULL DEFAULT 'open', "held_on" date, "outcome" text, "notes" text, "referred_standard_code" text, "next_due_on" date, "recorded_by" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE, "due_event_id" bigint, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_follow_up_done" CHECK ((status = 'done') = (outcome IS NOT NULL AND held_on IS NOT NULL AND recorded_at IS NOT NULL)
   AND (outcome IS DISTINCT FROM 'continue' OR next_due_on IS NOT NULL)
   AND ((outcome = 'terminateAndRefer') = (referred_standard_code IS NOT NULL))
   AND (next_due_on IS NULL OR next_due_on > held_on)), CONSTRAINT "ck_follow_up_outcome" CHECK (outcome IS NULL OR outcome IN ('continue', 'terminate', 'terminateAndRefer')), CONSTRAINT "ck_follow_up_status" CHECK (status IN ('open', 'done', 'cancelled')), CONSTRAINT "ck_follow_up_source" CHECK (source IN ('schedule', 'providerReport', 'manual')), CONSTRAINT "PK_5c0a5f5b32937e47e0ab09d596c" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_follow_up_grant" ON "follow_up"  ("grant_id", "due_on") `);
    await queryRunner.query(
      `ALTER TABLE "action_plan_version" ADD CONSTRAINT "fk_action_plan_version_plan" FOREIGN KEY ("plan_id") REFERENCES "action_plan"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "complaint" ADD CONSTRAINT "fk_complaint_decision" FOREIGN KEY ("decision_id") REFERENCES "decision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "complaint" ADD CONSTRAINT "fk_complaint_new_decision" FOREIGN KEY ("new_decision_id") REFERENCES "decision"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_up" ADD CONSTRAINT "fk_follow_up_grant" FOREIGN KEY ("grant_id") REFERENCES "citizen_grant"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // --- written by hand below ---
    await queryRunner.query(`CREATE INDEX ix_follow_up_due ON follow_up (due_on) WHERE status = 'open'`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_follow_up_scheduled_open ON follow_up (grant_id) WHERE status = 'open' AND source = 'schedule'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_complaint_open ON complaint (status, reassessment_due_on) WHERE status IN ('awaitingReassessment', 'upheld', 'forwarded') OR outcome = 'remitted'`,
    );

    // References into the citizens context, checked as in CreateVisitation (visitation_check_references).
    const references: [string, string, string[]][] = [
      ['action_plan', 'citizen_id, case_id', ['citizen_id', 'citizen', 'case_id', 'citizen_case']],
      ['follow_up', 'citizen_id', ['citizen_id', 'citizen']],
      ['deadline_notice', 'inquiry_id, citizen_id', ['inquiry_id', 'inquiry', 'citizen_id', 'citizen']],
      ['complaint', 'citizen_id, case_id', ['citizen_id', 'citizen', 'case_id', 'citizen_case']],
    ];
    for (const [table, columns, args] of references)
      await queryRunner.query(
        `CREATE TRIGGER trg_${table}_references BEFORE INSERT OR UPDATE OF ${columns} ON ${table}
           FOR EACH ROW EXECUTE FUNCTION visitation_check_references(${args.map((a) => `'${a}'`).join(', ')})`,
      );
    await queryRunner.query(`
          CREATE FUNCTION check_case_of_citizen() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NOT EXISTS (SELECT 1 FROM citizen_case WHERE id = NEW.case_id AND citizen_id = NEW.citizen_id) THEN
              RAISE EXCEPTION 'the case is not the citizen''s' USING ERRCODE = '23514', CONSTRAINT = 'ck_visitation_case_citizen';
            END IF;
            RETURN NEW;
          END $$`);
    for (const table of ['action_plan', 'complaint'])
      await queryRunner.query(
        `CREATE TRIGGER trg_${table}_case_citizen BEFORE INSERT OR UPDATE OF citizen_id, case_id ON ${table}
           FOR EACH ROW EXECUTE FUNCTION check_case_of_citizen()`,
      );

    // A handleplan version: draft → offered → accepted | declined; only a draft's content changes.
    await queryRunner.query(`
          CREATE FUNCTION action_plan_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            workflow text[] := ARRAY['status', 'offered_on', 'responded_on', 'response_note', 'version', 'updated_at'];
          BEGIN
            IF TG_OP = 'DELETE' THEN
              IF OLD.status <> 'draft' THEN
                RAISE EXCEPTION 'an offered action plan is kept' USING ERRCODE = '23514', CONSTRAINT = 'ck_action_plan_version_fixed';
              END IF;
              RETURN OLD;
            END IF;
            IF OLD.status <> 'draft' AND (to_jsonb(NEW) - workflow) IS DISTINCT FROM (to_jsonb(OLD) - workflow) THEN
              RAISE EXCEPTION 'an offered action plan never changes; make a new version'
                USING ERRCODE = '23514', CONSTRAINT = 'ck_action_plan_version_fixed';
            END IF;
            IF NEW.status <> OLD.status AND NOT ((OLD.status = 'draft' AND NEW.status = 'offered')
                                              OR (OLD.status = 'offered' AND NEW.status IN ('accepted', 'declined'))) THEN
              RAISE EXCEPTION 'an action plan does not go from % to %', OLD.status, NEW.status
                USING ERRCODE = '23514', CONSTRAINT = 'ck_action_plan_version_transition';
            END IF;
            IF OLD.status IN ('accepted', 'declined') AND to_jsonb(NEW) - ARRAY['version', 'updated_at'] IS DISTINCT FROM to_jsonb(OLD) - ARRAY['version', 'updated_at'] THEN
              RAISE EXCEPTION 'the citizen''s answer is recorded' USING ERRCODE = '23514', CONSTRAINT = 'ck_action_plan_version_transition';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_action_plan_version_guard BEFORE UPDATE OR DELETE ON action_plan_version FOR EACH ROW EXECUTE FUNCTION action_plan_version_guard()`,
    );

    // A follow-up goes open → done | cancelled, and is then kept as recorded.
    await queryRunner.query(`
          CREATE FUNCTION follow_up_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF OLD.status <> 'open' THEN
              RAISE EXCEPTION 'a recorded follow-up is kept as recorded' USING ERRCODE = '23514', CONSTRAINT = 'ck_follow_up_recorded';
            END IF;
            IF (NEW.grant_id, NEW.citizen_id, NEW.source, NEW.source_ref) IS DISTINCT FROM (OLD.grant_id, OLD.citizen_id, OLD.source, OLD.source_ref) THEN
              RAISE EXCEPTION 'a follow-up stays with its grant' USING ERRCODE = '23514', CONSTRAINT = 'ck_follow_up_recorded';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_follow_up_guard BEFORE UPDATE ON follow_up FOR EACH ROW EXECUTE FUNCTION follow_up_guard()`,
    );

    // A complaint is against a notified, appealable decision, and moves forward only:
    // awaitingReassessment → changed | upheld; upheld → forwarded; forwarded → decided. What was recorded stays.
    await queryRunner.query(`
          CREATE FUNCTION complaint_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            d record;
          BEGIN
            IF TG_OP = 'INSERT' THEN
              SELECT status, appealable INTO d FROM decision WHERE id = NEW.decision_id;
              IF d.status IS DISTINCT FROM 'notified' OR NOT d.appealable THEN
                RAISE EXCEPTION 'a complaint is against a notified decision that can be appealed'
                  USING ERRCODE = '23514', CONSTRAINT = 'ck_complaint_appealable';
              END IF;
              RETURN NEW;
            END IF;
            IF (NEW.decision_id, NEW.citizen_id, NEW.case_id, NEW.received_on, NEW.late, NEW.summary, NEW.reassessment_due_on)
               IS DISTINCT FROM (OLD.decision_id, OLD.citizen_id, OLD.case_id, OLD.received_on, OLD.late, OLD.summary, OLD.reassessment_due_on)
               OR (OLD.reassessed_on IS NOT NULL AND (NEW.reassessed_on, NEW.reassessment_note, NEW.new_decision_id)
                   IS DISTINCT FROM (OLD.reassessed_on, OLD.reassessment_note, OLD.new_decision_id))
               OR (OLD.forwarded_on IS NOT NULL AND (NEW.forwarded_on, NEW.appeal_body, NEW.documents)
                   IS DISTINCT FROM (OLD.forwarded_on, OLD.appeal_body, OLD.documents))
               OR (OLD.outcome IS NOT NULL AND (NEW.outcome, NEW.outcome_on, NEW.outcome_note, NEW.remitted_decision_due_on)
                   IS DISTINCT FROM (OLD.outcome, OLD.outcome_on, OLD.outcome_note, OLD.remitted_decision_due_on)) THEN
              RAISE EXCEPTION 'what was recorded on a complaint stays as recorded' USING ERRCODE = '23514', CONSTRAINT = 'ck_complaint_recorded';
            END IF;
            IF NEW.status <> OLD.status AND NOT (
                 (OLD.status = 'awaitingReassessment' AND NEW.status IN ('changed', 'upheld'))
              OR (OLD.status = 'upheld' AND NEW.status = 'forwarded')
              OR (OLD.status = 'forwarded' AND NEW.status = 'decided')) THEN
              RAISE EXCEPTION 'a complaint does not go from % to %', OLD.status, NEW.status
                USING ERRCODE = '23514', CONSTRAINT = 'ck_complaint_transition';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_complaint_guard BEFORE INSERT OR UPDATE ON complaint FOR EACH ROW EXECUTE FUNCTION complaint_guard()`,
    );

    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON deadline_notice FROM bum_app`);
    await queryRunner.query(
      `REVOKE DELETE, TRUNCATE ON complaint, follow_up, action_plan, action_plan_version FROM bum_app`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_complaint_guard ON complaint`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_follow_up_guard ON follow_up`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_action_plan_version_guard ON action_plan_version`);
    for (const table of ['action_plan', 'complaint'])
      await queryRunner.query(`DROP TRIGGER IF EXISTS trg_${table}_case_citizen ON ${table}`);
    for (const table of ['action_plan', 'follow_up', 'deadline_notice', 'complaint'])
      await queryRunner.query(`DROP TRIGGER IF EXISTS trg_${table}_references ON ${table}`);
    for (const fn of [
      'complaint_guard',
      'follow_up_guard',
      'action_plan_version_guard',
      'check_case_of_citizen',
    ])
      await queryRunner.query(`DROP FUNCTION IF EXISTS ${fn}()`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_complaint_open`);
    await queryRunner.query(`DROP INDEX IF EXISTS uq_follow_up_scheduled_open`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_follow_up_due`);
    await queryRunner.query(`ALTER TABLE "follow_up" DROP CONSTRAINT "fk_follow_up_grant"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "fk_complaint_new_decision"`);
    await queryRunner.query(`ALTER TABLE "complaint" DROP CONSTRAINT "fk_complaint_decision"`);
    await queryRunner.query(
      `ALTER TABLE "action_plan_version" DROP CONSTRAINT "fk_action_plan_version_plan"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_follow_up_grant"`);
    await queryRunner.query(`DROP TABLE "follow_up"`);
    await queryRunner.query(`DROP INDEX "public"."ix_deadline_notice_inquiry"`);
    await queryRunner.query(`DROP TABLE "deadline_notice"`);
    await queryRunner.query(`DROP INDEX "public"."ix_complaint_decision"`);
    await queryRunner.query(`DROP INDEX "public"."ix_complaint_received"`);
    await queryRunner.query(`DROP TABLE "complaint"`);
    await queryRunner.query(`DROP INDEX "public"."uq_action_plan_version"`);
    await queryRunner.query(`DROP TABLE "action_plan_version"`);
    await queryRunner.query(`DROP INDEX "public"."ix_action_plan_citizen"`);
    await queryRunner.query(`DROP TABLE "action_plan"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCatalogue1795442975971 implements MigrationInterface {
  name = 'CreateCatalogue1795442975971';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Exclusion constraints over (uuid, daterange) need btree_gist.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await queryRunner.query(
      `CREATE TABLE "quality_standard" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "title" text NOT NULL, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_quality_standard_code" CHECK (code ~ '^[A-Z]{2,4}-[0-9]{1,3}[a-z]?(-[a-z0-9]+)?$'), CONSTRAINT "PK_fbaeabf7ea8af47d0ca849a035c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_quality_standard_code" ON "quality_standard"  ("code") `,
    );
    await queryRunner.query(
      `CREATE TABLE "quality_standard_version" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "standard_id" uuid NOT NULL, "version_no" integer NOT NULL, "status" text NOT NULL DEFAULT 'draft', "valid_from" date, "valid_to" date, "legal_law" text NOT NULL, "legal_paragraph" text NOT NULL, "legal_subsection" integer, "target_group" text NOT NULL, "purpose" text NOT NULL, "content" text NOT NULL, "scope_unit" text NOT NULL, "scope_min" numeric(8,2), "scope_max" numeric(8,2), "max_duration_months" integer, "follow_up_interval_months" integer, "casework_deadline_days" integer NOT NULL, "start_deadline_days" integer, "settlement_basis" text NOT NULL, "area_types" text array NOT NULL DEFAULT '{}', "institution_types" text array NOT NULL DEFAULT '{}', "panel_approval_required" boolean NOT NULL DEFAULT false, "least_intervention_rule" boolean NOT NULL DEFAULT false, "appealable" boolean NOT NULL DEFAULT true, "self_referral" boolean NOT NULL DEFAULT false, "anonymous_allowed" boolean NOT NULL DEFAULT false, "below_state_pension_age_only" boolean NOT NULL DEFAULT false, "short_notice_cancellation_chargeable" boolean NOT NULL DEFAULT false, "action_plan" text NOT NULL DEFAULT 'offer', "account_function" text NOT NULL, "account_group" text, "ffb_service_code" uuid, "ffb_service_name" text, "local_service_code" text, "ffb_target_groups" text array NOT NULL DEFAULT '{}', "approved_by_committee" text, "approved_on" date, "approval_reference" text, "approved_by" uuid, "approved_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_qsv_approval" CHECK (status = 'draft' OR (approved_by_committee IS NOT NULL AND approved_on IS NOT NULL AND approval_reference IS NOT NULL AND valid_from IS NOT NULL)), CONSTRAINT "ck_qsv_service_code" CHECK (ffb_service_code IS NOT NULL OR local_service_code IS NOT NULL), CONSTRAINT "ck_qsv_account_function" CHECK (account_function ~ '^[0-9]\\.[0-9]{2}\\.[0-9]{2}$'), CONSTRAINT "ck_qsv_period" CHECK (valid_to IS NULL OR valid_from < valid_to), CONSTRAINT "ck_qsv_durations" CHECK ((max_duration_months IS NULL OR max_duration_months > 0) AND (follow_up_interval_months IS NULL OR follow_up_interval_months > 0) AND casework_deadline_days > 0 AND (start_deadline_days IS NULL OR start_deadline_days > 0)), CONSTRAINT "ck_qsv_scope" CHECK ((scope_min IS NULL OR scope_min >= 0) AND (scope_max IS NULL OR scope_max > 0) AND (scope_min IS NULL OR scope_max IS NULL OR scope_min <= scope_max)), CONSTRAINT "ck_qsv_action_plan" CHECK (action_plan IN ('offer', 'mandatory', 'none')), CONSTRAINT "ck_qsv_basis" CHECK (settlement_basis IN ('granted', 'delivered', 'perDay', 'perCourse')), CONSTRAINT "ck_qsv_unit" CHECK (scope_unit IN ('hoursPerWeek', 'hoursPerMonth', 'daysPerWeek', 'days', 'place', 'course', 'dwelling', 'outreach')), CONSTRAINT "ck_qsv_subsection" CHECK (legal_subsection IS NULL OR legal_subsection BETWEEN 1 AND 20), CONSTRAINT "ck_qsv_paragraph" CHECK (legal_paragraph ~ '^[1-9][0-9]{0,2}( [a-z])?$'), CONSTRAINT "ck_qsv_law" CHECK (legal_law IN ('SEL', 'SUL', 'ABL')), CONSTRAINT "ck_qsv_status" CHECK (status IN ('draft', 'approved', 'retired')), CONSTRAINT "ex_qsv_in_force" EXCLUDE USING gist (standard_id WITH =, daterange(valid_from, valid_to, '[)') WITH &&) WHERE (status <> 'draft'), CONSTRAINT "PK_11125e39fb54bab1fe222627568" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_qsv_number" ON "quality_standard_version"  ("standard_id", "version_no") `,
    );
    await queryRunner.query(
      `CREATE TABLE "rate" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "standard_id" uuid NOT NULL, "institution_id" uuid, "valid_from" date NOT NULL, "valid_to" date, "price_oere" bigint NOT NULL, "planned_occupancy_pct" numeric(5,2), "note" text, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_rate_occupancy" CHECK (planned_occupancy_pct IS NULL OR (planned_occupancy_pct > 0 AND planned_occupancy_pct <= 100)), CONSTRAINT "ck_rate_period" CHECK (valid_to IS NULL OR valid_from < valid_to), CONSTRAINT "ck_rate_price" CHECK (price_oere >= 0), CONSTRAINT "ex_rate_overlap" EXCLUDE USING gist (standard_id WITH =, coalesce(institution_id, '00000000-0000-0000-0000-000000000000'::uuid) WITH =, daterange(valid_from, valid_to, '[)') WITH &&), CONSTRAINT "PK_2618d0d38af322d152ccc328f33" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_rate_lookup" ON "rate"  ("standard_id", "institution_id", "valid_from") `,
    );
    await queryRunner.query(
      `ALTER TABLE "quality_standard_version" ADD CONSTRAINT "fk_qsv_standard" FOREIGN KEY ("standard_id") REFERENCES "quality_standard"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "rate" ADD CONSTRAINT "fk_rate_standard" FOREIGN KEY ("standard_id") REFERENCES "quality_standard"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // --- written by hand below ---
    // Approved and retired versions are immutable: only the end of their period may be set (supersession,
    // retirement), never extended, and a version never returns to draft.
    await queryRunner.query(`
          CREATE FUNCTION quality_standard_version_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE frozen text[] := ARRAY['valid_to', 'status', 'version', 'updated_at'];
          BEGIN
            IF TG_OP = 'DELETE' THEN
              IF OLD.status <> 'draft' THEN
                RAISE EXCEPTION 'version % is approved and cannot be deleted', OLD.version_no
                  USING ERRCODE = '23514', CONSTRAINT = 'ck_qsv_immutable';
              END IF;
              RETURN OLD;
            END IF;
            IF OLD.status = 'draft' THEN RETURN NEW; END IF;
            IF (to_jsonb(NEW) - frozen) <> (to_jsonb(OLD) - frozen) OR NEW.status = 'draft'
               OR (OLD.status = 'retired' AND NEW.status <> 'retired')
               OR (OLD.valid_to IS NOT NULL AND (NEW.valid_to IS NULL OR NEW.valid_to > OLD.valid_to)) THEN
              RAISE EXCEPTION 'version % is approved and cannot be changed', OLD.version_no
                USING ERRCODE = '23514', CONSTRAINT = 'ck_qsv_immutable';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_quality_standard_version_guard BEFORE UPDATE OR DELETE ON quality_standard_version FOR EACH ROW EXECUTE FUNCTION quality_standard_version_guard()`,
    );

    // A rate is editable until it takes effect (Danish date); after that only an open end may be closed.
    await queryRunner.query(`
          CREATE FUNCTION rate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE today date := (now() AT TIME ZONE 'Europe/Copenhagen')::date;
          BEGIN
            IF TG_OP = 'DELETE' THEN
              IF OLD.valid_from <= today THEN
                RAISE EXCEPTION 'the rate is in effect and cannot be deleted' USING ERRCODE = '23514', CONSTRAINT = 'ck_rate_immutable';
              END IF;
              RETURN OLD;
            END IF;
            IF OLD.valid_from > today THEN RETURN NEW; END IF;
            IF (to_jsonb(NEW) - 'valid_to') <> (to_jsonb(OLD) - 'valid_to') OR OLD.valid_to IS NOT NULL OR NEW.valid_to IS NULL THEN
              RAISE EXCEPTION 'the rate is in effect: only its open end can be closed' USING ERRCODE = '23514', CONSTRAINT = 'ck_rate_immutable';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_rate_guard BEFORE UPDATE OR DELETE ON rate FOR EACH ROW EXECUTE FUNCTION rate_guard()`,
    );

    // rate.institution_id refers to an institution (org_unit is the organisation context's table).
    await queryRunner.query(`
          CREATE FUNCTION rate_check_institution() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.institution_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM org_unit WHERE id = NEW.institution_id AND kind = 'institution') THEN
              RAISE EXCEPTION 'institution % does not exist', NEW.institution_id USING ERRCODE = '23503', CONSTRAINT = 'fk_rate_institution';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_rate_check_institution BEFORE INSERT OR UPDATE OF institution_id ON rate FOR EACH ROW EXECUTE FUNCTION rate_check_institution()`,
    );
    await queryRunner.query(`
          CREATE FUNCTION org_unit_check_rates() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF EXISTS (SELECT 1 FROM rate WHERE institution_id = OLD.id) THEN
              RAISE EXCEPTION 'the institution has rates' USING ERRCODE = '23503', CONSTRAINT = 'fk_rate_institution_delete';
            END IF;
            RETURN OLD;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_org_unit_check_rates BEFORE DELETE ON org_unit FOR EACH ROW EXECUTE FUNCTION org_unit_check_rates()`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_rate_institution ON rate (institution_id) WHERE institution_id IS NOT NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS ix_rate_institution`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_org_unit_check_rates ON org_unit`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS org_unit_check_rates()`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_rate_check_institution ON rate`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS rate_check_institution()`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_rate_guard ON rate`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS rate_guard()`);
    await queryRunner.query(
      `DROP TRIGGER IF EXISTS trg_quality_standard_version_guard ON quality_standard_version`,
    );
    await queryRunner.query(`DROP FUNCTION IF EXISTS quality_standard_version_guard()`);
    await queryRunner.query(`ALTER TABLE "rate" DROP CONSTRAINT "fk_rate_standard"`);
    await queryRunner.query(`ALTER TABLE "quality_standard_version" DROP CONSTRAINT "fk_qsv_standard"`);
    await queryRunner.query(`DROP INDEX "public"."ix_rate_lookup"`);
    await queryRunner.query(`DROP TABLE "rate"`);
    await queryRunner.query(`DROP INDEX "public"."uq_qsv_number"`);
    await queryRunner.query(`DROP TABLE "quality_standard_version"`);
    await queryRunner.query(`DROP INDEX "public"."uq_quality_standard_code"`);
    await queryRunner.query(`DROP TABLE "quality_standard"`);
  }
}

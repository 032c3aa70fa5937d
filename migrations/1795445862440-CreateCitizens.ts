import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCitizens1795445862440 implements MigrationInterface {
  name = 'CreateCitizens1795445862440';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "citizen" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "anonymous" boolean NOT NULL DEFAULT false, "cpr_encrypted" bytea, "cpr_hash" text, "birth_date" date, "pseudonym" text, "name" text, "street" text, "postal_code" text, "city" text, "phone" text, "email" text, "acting_municipality_id" uuid NOT NULL, "paying_municipality_id" uuid NOT NULL, "created_by" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_citizen_postal_code" CHECK (postal_code ~ '^[0-9]{4}$'), CONSTRAINT "ck_citizen_pseudonym" CHECK (pseudonym ~ '^ANON-[0-9A-Z]{8}$'), CONSTRAINT "ck_citizen_cpr_hash" CHECK (cpr_hash ~ '^[0-9a-f]{64}$'), CONSTRAINT "ck_citizen_identity" CHECK ((anonymous AND cpr_hash IS NULL AND cpr_encrypted IS NULL AND birth_date IS NULL AND pseudonym IS NOT NULL)
   OR (NOT anonymous AND cpr_hash IS NOT NULL AND cpr_encrypted IS NOT NULL AND birth_date IS NOT NULL AND pseudonym IS NULL AND name IS NOT NULL)), CONSTRAINT "PK_0e19d9fdbdd0d185ce72fe62a04" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_citizen_pseudonym" ON "citizen"  ("pseudonym") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_citizen_cpr_hash" ON "citizen"  ("cpr_hash") `);
    await queryRunner.query(
      `CREATE TABLE "citizen_case" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "citizen_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'open', "responsible_caseworker_id" uuid, "opened_on" date NOT NULL, "closed_on" date, "created_by" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_citizen_case_closed" CHECK ((status = 'closed') = (closed_on IS NOT NULL) AND (closed_on IS NULL OR closed_on >= opened_on)), CONSTRAINT "ck_citizen_case_status" CHECK (status IN ('open', 'closed')), CONSTRAINT "PK_03027d995113de18b2530dabb22" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_citizen_case_citizen" ON "citizen_case"  ("citizen_id", "opened_on") `,
    );
    await queryRunner.query(
      `CREATE TABLE "inquiry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "received_on" date NOT NULL, "channel" text NOT NULL, "request" text NOT NULL, "standard_code" text NOT NULL, "standard_version_id" uuid NOT NULL, "standard_version_no" integer NOT NULL, "casework_deadline" date NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_inquiry_deadline" CHECK (casework_deadline > received_on), CONSTRAINT "ck_inquiry_channel" CHECK (channel IN ('phone', 'letter', 'digital', 'inPerson', 'referral')), CONSTRAINT "PK_3e226d0994e8bd24252dd65e1b6" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_inquiry_case" ON "inquiry"  ("case_id", "received_on") `);
    await queryRunner.query(
      `CREATE TABLE "journal_note" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "text" text NOT NULL, "amends_note_id" uuid, "author_user_id" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_5db7d44d2204da1f1159fa36f9c" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_journal_note_case" ON "journal_note"  ("case_id", "recorded_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "visit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "caseworker_id" uuid NOT NULL, "status" text NOT NULL DEFAULT 'planned', "starts_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ends_at" TIMESTAMP WITH TIME ZONE NOT NULL, "place" text NOT NULL, "participants" text array NOT NULL DEFAULT '{}', "notes" text, "cancel_reason" text, "created_by" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_visit_cancel_reason" CHECK ((status = 'cancelled') = (cancel_reason IS NOT NULL)), CONSTRAINT "ck_visit_time" CHECK (ends_at > starts_at), CONSTRAINT "ck_visit_status" CHECK (status IN ('planned', 'held', 'cancelled')), CONSTRAINT "PK_c9919ef5a07627657c535d8eb88" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_visit_case" ON "visit"  ("case_id", "starts_at") `);
    await queryRunner.query(`CREATE INDEX "ix_visit_calendar" ON "visit"  ("caseworker_id", "starts_at") `);
    await queryRunner.query(
      `ALTER TABLE "citizen_case" ADD CONSTRAINT "fk_citizen_case_citizen" FOREIGN KEY ("citizen_id") REFERENCES "citizen"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "inquiry" ADD CONSTRAINT "fk_inquiry_case" FOREIGN KEY ("case_id") REFERENCES "citizen_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_note" ADD CONSTRAINT "fk_journal_note_case" FOREIGN KEY ("case_id") REFERENCES "citizen_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "journal_note" ADD CONSTRAINT "fk_journal_note_amends" FOREIGN KEY ("amends_note_id") REFERENCES "journal_note"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "visit" ADD CONSTRAINT "fk_visit_case" FOREIGN KEY ("case_id") REFERENCES "citizen_case"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // --- written by hand below ---
    // A citizen has at most one open case: an inquiry joins it (the service locks the citizen first).
    await queryRunner.query(
      `CREATE UNIQUE INDEX uq_citizen_case_open ON citizen_case (citizen_id) WHERE status = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_citizen_case_responsible ON citizen_case (responsible_caseworker_id) WHERE status = 'open'`,
    );
    await queryRunner.query(`CREATE INDEX ix_citizen_name ON citizen (lower(coalesce(name, pseudonym)), id)`);
    await queryRunner.query(
      `CREATE INDEX ix_journal_note_amends ON journal_note (amends_note_id) WHERE amends_note_id IS NOT NULL`,
    );

    // citizen.acting/paying_municipality_id refer to the organisation context's municipality table.
    await queryRunner.query(`
          CREATE FUNCTION citizen_check_municipalities() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NOT EXISTS (SELECT 1 FROM municipality WHERE id = NEW.acting_municipality_id) THEN
              RAISE EXCEPTION 'municipality % does not exist', NEW.acting_municipality_id
                USING ERRCODE = '23503', CONSTRAINT = 'fk_citizen_acting_municipality';
            END IF;
            IF NOT EXISTS (SELECT 1 FROM municipality WHERE id = NEW.paying_municipality_id) THEN
              RAISE EXCEPTION 'municipality % does not exist', NEW.paying_municipality_id
                USING ERRCODE = '23503', CONSTRAINT = 'fk_citizen_paying_municipality';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_citizen_check_municipalities BEFORE INSERT OR UPDATE OF acting_municipality_id, paying_municipality_id ON citizen FOR EACH ROW EXECUTE FUNCTION citizen_check_municipalities()`,
    );
    await queryRunner.query(`
          CREATE FUNCTION municipality_check_citizens() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF EXISTS (SELECT 1 FROM citizen WHERE acting_municipality_id = OLD.id OR paying_municipality_id = OLD.id) THEN
              RAISE EXCEPTION 'the municipality acts or pays for citizens' USING ERRCODE = '23503', CONSTRAINT = 'fk_citizen_municipality_delete';
            END IF;
            RETURN OLD;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_municipality_check_citizens BEFORE DELETE ON municipality FOR EACH ROW EXECUTE FUNCTION municipality_check_citizens()`,
    );

    // Journal notes are append-only for every role (notatpligt: what was recorded stays as recorded); a
    // correction is a new note that amends the earlier one, on the same case. The app role cannot even try.
    await queryRunner.query(`
          CREATE FUNCTION journal_note_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
              RAISE EXCEPTION 'journal notes are never changed or deleted; add a note that amends it'
                USING ERRCODE = '23514', CONSTRAINT = 'ck_journal_note_append_only';
            END IF;
            IF NEW.amends_note_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM journal_note WHERE id = NEW.amends_note_id AND case_id = NEW.case_id) THEN
              RAISE EXCEPTION 'the amended note is not a note of this case'
                USING ERRCODE = '23514', CONSTRAINT = 'ck_journal_note_amends_case';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_journal_note_guard BEFORE INSERT OR UPDATE OR DELETE ON journal_note FOR EACH ROW EXECUTE FUNCTION journal_note_guard()`,
    );
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON journal_note FROM bum_app`);

    // A visit goes planned → held | cancelled and is fixed after that.
    await queryRunner.query(`
          CREATE FUNCTION visit_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF TG_OP = 'DELETE' THEN
              IF OLD.status <> 'planned' THEN
                RAISE EXCEPTION 'a held or cancelled visit is kept' USING ERRCODE = '23514', CONSTRAINT = 'ck_visit_transition';
              END IF;
              RETURN OLD;
            END IF;
            IF OLD.status <> 'planned' THEN
              RAISE EXCEPTION 'the visit is % and cannot change', OLD.status USING ERRCODE = '23514', CONSTRAINT = 'ck_visit_transition';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_visit_guard BEFORE UPDATE OR DELETE ON visit FOR EACH ROW EXECUTE FUNCTION visit_guard()`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_visit_guard ON visit`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS visit_guard()`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_journal_note_guard ON journal_note`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS journal_note_guard()`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_municipality_check_citizens ON municipality`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS municipality_check_citizens()`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_citizen_check_municipalities ON citizen`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS citizen_check_municipalities()`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_journal_note_amends`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_citizen_name`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_citizen_case_responsible`);
    await queryRunner.query(`DROP INDEX IF EXISTS uq_citizen_case_open`);
    await queryRunner.query(`ALTER TABLE "visit" DROP CONSTRAINT "fk_visit_case"`);
    await queryRunner.query(`ALTER TABLE "journal_note" DROP CONSTRAINT "fk_journal_note_amends"`);
    await queryRunner.query(`ALTER TABLE "journal_note" DROP CONSTRAINT "fk_journal_note_case"`);
    await queryRunner.query(`ALTER TABLE "inquiry" DROP CONSTRAINT "fk_inquiry_case"`);
    await queryRunner.query(`ALTER TABLE "citizen_case" DROP CONSTRAINT "fk_citizen_case_citizen"`);
    await queryRunner.query(`DROP INDEX "public"."ix_visit_calendar"`);
    await queryRunner.query(`DROP INDEX "public"."ix_visit_case"`);
    await queryRunner.query(`DROP TABLE "visit"`);
    await queryRunner.query(`DROP INDEX "public"."ix_journal_note_case"`);
    await queryRunner.query(`DROP TABLE "journal_note"`);
    await queryRunner.query(`DROP INDEX "public"."ix_inquiry_case"`);
    await queryRunner.query(`DROP TABLE "inquiry"`);
    await queryRunner.query(`DROP INDEX "public"."ix_citizen_case_citizen"`);
    await queryRunner.query(`DROP TABLE "citizen_case"`);
    await queryRunner.query(`DROP INDEX "public"."uq_citizen_cpr_hash"`);
    await queryRunner.query(`DROP INDEX "public"."uq_citizen_pseudonym"`);
    await queryRunner.query(`DROP TABLE "citizen"`);
  }
}

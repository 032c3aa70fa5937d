import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreatePlatformAndOrganisation1795441230867 implements MigrationInterface {
  name = 'CreatePlatformAndOrganisation1795441230867';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "access_log" ("id" BIGSERIAL NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "actor_user_id" uuid, "actor_api_key_id" uuid, "actor_role" text NOT NULL, "actor_org_unit_id" uuid, "action" text NOT NULL, "object_type" text NOT NULL, "object_id" uuid, "citizen_id" uuid, "criteria" jsonb, "purpose" text NOT NULL, "request_id" text, CONSTRAINT "ck_access_log_subject" CHECK (citizen_id IS NOT NULL OR criteria IS NOT NULL), CONSTRAINT "ck_access_log_action" CHECK (action IN ('read', 'search', 'create', 'update', 'delete', 'export', 'reveal')), CONSTRAINT "PK_bd09621fb73b42d9e32b85ae41f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_access_log_occurred" ON "access_log"  ("occurred_at") `);
    await queryRunner.query(
      `CREATE INDEX "ix_access_log_actor" ON "access_log"  ("actor_user_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_access_log_citizen" ON "access_log"  ("citizen_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "worker_heartbeat" ("instance_id" text NOT NULL, "hostname" text NOT NULL, "pid" integer NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "beat_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_01e1861fa118251f97cdb159518" PRIMARY KEY ("instance_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "idempotency_record" ("principal" text NOT NULL, "key" text NOT NULL, "route" text NOT NULL, "request_hash" text NOT NULL, "response_status" integer NOT NULL, "response_body" jsonb, "response_headers" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_c8a94a2590e55c032bda567b882" PRIMARY KEY ("principal", "key"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "outbox" ("id" BIGSERIAL NOT NULL, "type" text NOT NULL, "payload" jsonb NOT NULL, "request_id" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "published_at" TIMESTAMP WITH TIME ZONE, "publish_attempts" integer NOT NULL DEFAULT '0', "last_error" text, CONSTRAINT "PK_340ab539f309f03bdaa14aa7649" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_outbox_unpublished" ON "outbox"  ("id") WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE TABLE "processed_event" ("consumer" text NOT NULL, "event_id" bigint NOT NULL, "processed_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_df88f54e67ec5c5caece922a498" PRIMARY KEY ("consumer", "event_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "notification" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "recipient_user_id" uuid NOT NULL, "kind" text NOT NULL, "subject" text NOT NULL, "body" text NOT NULL, "source_event_id" bigint NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "read_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_notification_source" ON "notification"  ("source_event_id", "recipient_user_id", "kind") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_notification_recipient" ON "notification"  ("recipient_user_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "municipality" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "code" text NOT NULL, "name" text NOT NULL, "is_own" boolean NOT NULL DEFAULT false, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_municipality_name" UNIQUE ("name"), CONSTRAINT "uq_municipality_code" UNIQUE ("code"), CONSTRAINT "ck_municipality_code" CHECK (code ~ '^[0-9]{3}$'), CONSTRAINT "PK_281ad341f20df7c41b83a182e2a" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE TABLE "org_unit" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "municipality_id" uuid NOT NULL, "kind" text NOT NULL, "parent_id" uuid, "name" text NOT NULL, "area_type" text, "institution_type" text, "capacity" integer, "street" text, "postal_code" text, "city" text, "phone" text, "email" text, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_org_unit_place_capacity" CHECK (kind <> 'institution' OR institution_type NOT IN ('temporaryHousing', 'longTermHousing', 'housingLikeDwelling', 'womensShelter', 'homelessShelter', 'respiteCare') OR capacity IS NOT NULL), CONSTRAINT "ck_org_unit_shape" CHECK ((kind = 'authority' AND parent_id IS NULL AND area_type IS NULL AND institution_type IS NULL AND capacity IS NULL)
   OR (kind = 'operatingArea' AND area_type IS NOT NULL AND institution_type IS NULL AND capacity IS NULL)
   OR (kind = 'institution' AND institution_type IS NOT NULL AND area_type IS NULL)), CONSTRAINT "ck_org_unit_name" CHECK (length(btrim(name)) > 0), CONSTRAINT "ck_org_unit_capacity" CHECK (capacity IS NULL OR capacity >= 0), CONSTRAINT "ck_org_unit_institution_type" CHECK (institution_type IS NULL OR institution_type IN ('housingSupport', 'temporaryHousing', 'longTermHousing', 'housingLikeDwelling', 'womensShelter', 'homelessShelter', 'substanceAbuseTreatment', 'activityCentre', 'shelteredEmployment', 'respiteCare', 'contactPerson')), CONSTRAINT "ck_org_unit_area_type" CHECK (area_type IS NULL OR area_type IN ('disability', 'psychiatry', 'sociallyVulnerable')), CONSTRAINT "ck_org_unit_kind" CHECK (kind IN ('authority', 'operatingArea', 'institution')), CONSTRAINT "PK_ba1c59043dc14bb66023c1d07c7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_org_unit_parent" ON "org_unit"  ("parent_id") `);
    await queryRunner.query(
      `CREATE TABLE "api_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "prefix" text NOT NULL, "secret_hash" text NOT NULL, "role" text NOT NULL, "scopes" text array NOT NULL, "org_unit_id" uuid NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "last_used_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "ck_api_key_scopes" CHECK (cardinality(scopes) > 0), CONSTRAINT "ck_api_key_role" CHECK (role IN ('caseworker', 'panelMember', 'providerStaff', 'institutionManager', 'finance', 'admin', 'auditor') AND role <> 'admin'), CONSTRAINT "PK_b1bd840641b8acbaad89c3d8d11" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_key_prefix" ON "api_key"  ("prefix") `);
    await queryRunner.query(
      `CREATE TABLE "login_attempt" ("id" BIGSERIAL NOT NULL, "user_id" uuid, "username" text NOT NULL, "succeeded" boolean NOT NULL, "client_ip" text, "attempted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_72829cd4f7424e3cdfd46c476c0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_login_attempt_user" ON "login_attempt"  ("user_id", "attempted_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "username" text NOT NULL, "display_name" text NOT NULL, "email" text, "role" text NOT NULL, "org_unit_id" uuid NOT NULL, "password_hash" text, "external_subject" text, "active" boolean NOT NULL DEFAULT true, "locked_at" TIMESTAMP WITH TIME ZONE, "failures_reset_at" TIMESTAMP WITH TIME ZONE, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_app_user_credential" CHECK (password_hash IS NOT NULL OR external_subject IS NOT NULL), CONSTRAINT "ck_app_user_username" CHECK (username ~ '^[A-Za-z0-9._@-]{3,100}$'), CONSTRAINT "ck_app_user_role" CHECK (role IN ('caseworker', 'panelMember', 'providerStaff', 'institutionManager', 'finance', 'admin', 'auditor')), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_app_user_org_unit" ON "app_user"  ("org_unit_id") `);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_app_user_external_subject" ON "app_user"  ("external_subject") WHERE external_subject IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_unit" ADD CONSTRAINT "fk_org_unit_municipality" FOREIGN KEY ("municipality_id") REFERENCES "municipality"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "org_unit" ADD CONSTRAINT "fk_org_unit_parent" FOREIGN KEY ("parent_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_key" ADD CONSTRAINT "fk_api_key_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "app_user" ADD CONSTRAINT "fk_app_user_org_unit" FOREIGN KEY ("org_unit_id") REFERENCES "org_unit"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    // --- written by hand below: what entity metadata cannot express ---
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_org_unit_name_per_parent" ON "org_unit" ("municipality_id", "parent_id", lower(btrim("name"))) NULLS NOT DISTINCT`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_org_unit_one_authority" ON "org_unit" ("municipality_id") WHERE kind = 'authority'`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_app_user_username" ON "app_user" (lower("username"))`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_municipality_one_own" ON "municipality" ("is_own") WHERE is_own`,
    );

    // An org unit's parent: an operating area hangs under nothing or the authority; an institution under an
    // operating area of the same municipality (own) or nothing (external). A user's role fits their unit.
    await queryRunner.query(`
          CREATE FUNCTION org_unit_check_parent() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE p org_unit%ROWTYPE;
          BEGIN
            IF NEW.parent_id IS NULL THEN RETURN NEW; END IF;
            SELECT * INTO p FROM org_unit WHERE id = NEW.parent_id;
            IF p.municipality_id <> NEW.municipality_id THEN
              RAISE EXCEPTION 'parent belongs to another municipality' USING ERRCODE = '23514', CONSTRAINT = 'ck_org_unit_parent_municipality';
            END IF;
            IF (NEW.kind = 'operatingArea' AND p.kind <> 'authority') OR (NEW.kind = 'institution' AND p.kind <> 'operatingArea') THEN
              RAISE EXCEPTION 'parent of a % cannot be a %', NEW.kind, p.kind USING ERRCODE = '23514', CONSTRAINT = 'ck_org_unit_parent_kind';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_org_unit_check_parent BEFORE INSERT OR UPDATE OF parent_id, kind, municipality_id ON org_unit FOR EACH ROW EXECUTE FUNCTION org_unit_check_parent()`,
    );
    await queryRunner.query(`
          CREATE FUNCTION app_user_check_role_unit() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE k text;
          BEGIN
            SELECT kind INTO k FROM org_unit WHERE id = NEW.org_unit_id;
            IF NEW.role IN ('providerStaff', 'institutionManager') AND k <> 'institution' THEN
              RAISE EXCEPTION 'role % belongs to an institution', NEW.role USING ERRCODE = '23514', CONSTRAINT = 'ck_app_user_role_unit';
            END IF;
            IF NEW.role IN ('caseworker', 'panelMember') AND k <> 'authority' THEN
              RAISE EXCEPTION 'role % belongs to the authority', NEW.role USING ERRCODE = '23514', CONSTRAINT = 'ck_app_user_role_unit';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_app_user_check_role_unit BEFORE INSERT OR UPDATE OF role, org_unit_id ON app_user FOR EACH ROW EXECUTE FUNCTION app_user_check_role_unit()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER trg_api_key_check_role_unit BEFORE INSERT OR UPDATE OF role, org_unit_id ON api_key FOR EACH ROW EXECUTE FUNCTION app_user_check_role_unit()`,
    );

    // The restricted role the API and the worker act as. Roles are cluster-wide: create it once.
    await queryRunner.query(`DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'bum_app') THEN CREATE ROLE bum_app NOLOGIN; END IF;
          END $$`);
    await queryRunner.query(`GRANT USAGE ON SCHEMA public TO bum_app`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO bum_app`);
    await queryRunner.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO bum_app`);
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO bum_app`,
    );
    await queryRunner.query(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO bum_app`,
    );
    await queryRunner.query(`REVOKE ALL ON schema_migration FROM bum_app`);
    await queryRunner.query(`GRANT SELECT ON schema_migration TO bum_app`);

    // The access log is append-only for the app; only the retention purge deletes, as its owner.
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON access_log FROM bum_app`);
    await queryRunner.query(`REVOKE UPDATE, DELETE, TRUNCATE ON login_attempt FROM bum_app`);
    await queryRunner.query(`
          CREATE FUNCTION purge_access_log(cutoff timestamptz) RETURNS bigint LANGUAGE sql SECURITY DEFINER
          SET search_path = public, pg_temp AS $$
            WITH gone AS (DELETE FROM access_log WHERE occurred_at < cutoff RETURNING 1) SELECT count(*) FROM gone
          $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION purge_access_log(timestamptz) FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION purge_access_log(timestamptz) TO bum_app`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS purge_access_log(timestamptz)`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_api_key_check_role_unit ON api_key`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_app_user_check_role_unit ON app_user`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS app_user_check_role_unit()`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_org_unit_check_parent ON org_unit`);
    await queryRunner.query(`DROP FUNCTION IF EXISTS org_unit_check_parent()`);
    await queryRunner.query(`DROP INDEX IF EXISTS uq_municipality_one_own`);
    await queryRunner.query(`DROP INDEX IF EXISTS uq_app_user_username`);
    await queryRunner.query(`DROP INDEX IF EXISTS uq_org_unit_one_authority`);
    await queryRunner.query(`DROP INDEX IF EXISTS uq_org_unit_name_per_parent`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON TABLES FROM bum_app`);
    await queryRunner.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public REVOKE ALL ON SEQUENCES FROM bum_app`);
    await queryRunner.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM bum_app`);
    await queryRunner.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM bum_app`);
    await queryRunner.query(`REVOKE USAGE ON SCHEMA public FROM bum_app`);
    await queryRunner.query(`ALTER TABLE "app_user" DROP CONSTRAINT "fk_app_user_org_unit"`);
    await queryRunner.query(`ALTER TABLE "api_key" DROP CONSTRAINT "fk_api_key_org_unit"`);
    await queryRunner.query(`ALTER TABLE "org_unit" DROP CONSTRAINT "fk_org_unit_parent"`);
    await queryRunner.query(`ALTER TABLE "org_unit" DROP CONSTRAINT "fk_org_unit_municipality"`);
    await queryRunner.query(`DROP INDEX "public"."uq_app_user_external_subject"`);
    await queryRunner.query(`DROP INDEX "public"."ix_app_user_org_unit"`);
    await queryRunner.query(`DROP TABLE "app_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_login_attempt_user"`);
    await queryRunner.query(`DROP TABLE "login_attempt"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_key_prefix"`);
    await queryRunner.query(`DROP TABLE "api_key"`);
    await queryRunner.query(`DROP INDEX "public"."ix_org_unit_parent"`);
    await queryRunner.query(`DROP TABLE "org_unit"`);
    await queryRunner.query(`DROP TABLE "municipality"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_recipient"`);
    await queryRunner.query(`DROP INDEX "public"."uq_notification_source"`);
    await queryRunner.query(`DROP TABLE "notification"`);
    await queryRunner.query(`DROP TABLE "processed_event"`);
    await queryRunner.query(`DROP INDEX "public"."ix_outbox_unpublished"`);
    await queryRunner.query(`DROP TABLE "outbox"`);
    await queryRunner.query(`DROP TABLE "idempotency_record"`);
    await queryRunner.query(`DROP TABLE "worker_heartbeat"`);
    await queryRunner.query(`DROP INDEX "public"."ix_access_log_citizen"`);
    await queryRunner.query(`DROP INDEX "public"."ix_access_log_actor"`);
    await queryRunner.query(`DROP INDEX "public"."ix_access_log_occurred"`);
    await queryRunner.query(`DROP TABLE "access_log"`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateDelivery1795450016911 implements MigrationInterface {
  name = 'CreateDelivery1795450016911';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "sub_goal" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "decision_id" uuid NOT NULL, "goal_ordinal" smallint NOT NULL, "description" text NOT NULL, "target_level" smallint, "status" text NOT NULL DEFAULT 'active', "created_by" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_sub_goal_target" CHECK (target_level IS NULL OR target_level BETWEEN 0 AND 4), CONSTRAINT "ck_sub_goal_status" CHECK (status IN ('active', 'achieved', 'dropped')), CONSTRAINT "PK_5ce36081e16c7f29074aacbe5ca" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE INDEX "ix_sub_goal_order" ON "sub_goal"  ("order_id", "created_at") `);
    await queryRunner.query(
      `CREATE TABLE "goal_progress" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "sub_goal_id" uuid NOT NULL, "level" smallint NOT NULL, "text" text NOT NULL, "recorded_on" date NOT NULL, "recorded_by" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_goal_progress_level" CHECK (level BETWEEN 0 AND 4), CONSTRAINT "PK_063570ca3418e9fc676a412e647" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_goal_progress_sub_goal" ON "goal_progress"  ("sub_goal_id", "recorded_on") `,
    );
    await queryRunner.query(
      `CREATE TABLE "staff_note" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "text" text NOT NULL, "sub_goal_ids" uuid array NOT NULL DEFAULT '{}', "shared_with_authority" boolean NOT NULL DEFAULT false, "amends_note_id" uuid, "author_user_id" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_4b0341ff32075e38b56bc6cc886" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_staff_note_order" ON "staff_note"  ("order_id", "recorded_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "delivery_session" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "session_date" date NOT NULL, "starts_at" TIME, "minutes" integer NOT NULL, "staff_user_id" uuid, "status" text NOT NULL, "corrects_id" uuid, "recorded_by" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_delivery_session_minutes" CHECK (minutes BETWEEN 1 AND 1440), CONSTRAINT "ck_delivery_session_status" CHECK (status IN ('delivered', 'cancelledByCitizen', 'cancelledByProvider', 'noShow')), CONSTRAINT "PK_b56405b66de868bbc0dd40a151d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_delivery_session_corrects" ON "delivery_session"  ("corrects_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_delivery_session_institution" ON "delivery_session"  ("institution_id", "session_date") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_delivery_session_order" ON "delivery_session"  ("order_id", "session_date") `,
    );
    await queryRunner.query(
      `CREATE TABLE "attendance" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "attended_on" date NOT NULL, "present" boolean NOT NULL, "corrects_id" uuid, "recorded_by" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_ee0ffe42c1f1a01e72b725c0cb2" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_attendance_corrects" ON "attendance"  ("corrects_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_attendance_order" ON "attendance"  ("order_id", "attended_on") `,
    );
    await queryRunner.query(
      `CREATE TABLE "treatment_course" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "started_on" date NOT NULL, "ended_on" date, "outcome" text, "corrects_id" uuid, "recorded_by" uuid, "recorded_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_treatment_course_end" CHECK ((ended_on IS NULL) = (outcome IS NULL) AND (ended_on IS NULL OR ended_on >= started_on)), CONSTRAINT "ck_treatment_course_outcome" CHECK (outcome IS NULL OR outcome IN ('drugFree', 'reduced', 'unchanged', 'increased', 'droppedOut')), CONSTRAINT "PK_3cb3aedb86d7846f217743cb25e" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_treatment_course_corrects" ON "treatment_course"  ("corrects_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_treatment_course_order" ON "treatment_course"  ("order_id", "started_on") `,
    );
    await queryRunner.query(
      `CREATE TABLE "provider_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "direction" text NOT NULL, "description" text NOT NULL, "proposal" text, "follow_up_id" uuid, "submitted_by" uuid, "submitted_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_provider_report_direction" CHECK (direction IN ('increased', 'decreased', 'other')), CONSTRAINT "PK_2bbdda727147967023a79b9bb1b" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_provider_report_order" ON "provider_report"  ("order_id", "submitted_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "use_of_force_report" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "institution_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "acting_municipality_id" uuid NOT NULL, "form" text NOT NULL, "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL, "duration_minutes" integer, "description" text NOT NULL, "reported_by" uuid, "reported_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "review_status" text NOT NULL DEFAULT 'pending', "reviewed_by" uuid, "reviewed_at" TIMESTAMP WITH TIME ZONE, "review_comment" text, "version" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_use_of_force_report_duration" CHECK (duration_minutes IS NULL OR duration_minutes BETWEEN 0 AND 1440), CONSTRAINT "ck_use_of_force_report_review" CHECK (review_status IN ('pending', 'reviewed') AND (review_status = 'reviewed') = (reviewed_at IS NOT NULL AND reviewed_by IS NOT NULL)), CONSTRAINT "ck_use_of_force_report_form" CHECK (form IN ('1a', '1b', '2')), CONSTRAINT "PK_a00b2a0382f41abaaf9ee809fd0" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_use_of_force_report_institution" ON "use_of_force_report"  ("institution_id", "occurred_at") `,
    );
    await queryRunner.query(
      `CREATE TABLE "stay" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid, "admission_id" uuid, "source" text NOT NULL, "citizen_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "admitted_on" date NOT NULL, "discharged_on" date, "discharge_destination" text, "acting_municipality_notified_at" TIMESTAMP WITH TIME ZONE, "created_by" uuid, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_stay_origin" CHECK ((source = 'order') = (order_id IS NOT NULL) AND (source = 'selfReferral') = (admission_id IS NOT NULL)), CONSTRAINT "ck_stay_discharge" CHECK ((discharged_on IS NULL) = (discharge_destination IS NULL) AND (discharged_on IS NULL OR discharged_on >= admitted_on)), CONSTRAINT "ck_stay_destination" CHECK (discharge_destination IS NULL OR discharge_destination IN ('ownHome', 'otherService', 'hospital', 'unknown')), CONSTRAINT "ck_stay_source" CHECK (source IN ('order', 'selfReferral')), CONSTRAINT "ex_stay_overlap" EXCLUDE USING gist (citizen_id WITH =, institution_id WITH =, daterange(admitted_on, discharged_on, '[)') WITH &&), CONSTRAINT "PK_2e2903841ab4eb3c69a0a8bf77d" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_stay_admission" ON "stay"  ("admission_id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_stay_order" ON "stay"  ("order_id") `);
    await queryRunner.query(
      `CREATE INDEX "ix_stay_institution" ON "stay"  ("institution_id", "admitted_on") `,
    );
    await queryRunner.query(
      `CREATE TABLE "stay_absence" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "stay_id" uuid NOT NULL, "from_date" date NOT NULL, "to_date" date NOT NULL, "reason" text NOT NULL, "created_by" uuid, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_stay_absence_period" CHECK (to_date >= from_date), CONSTRAINT "PK_696f99c1010556af8419247120f" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "ix_stay_absence_stay" ON "stay_absence"  ("stay_id", "from_date") `,
    );
    await queryRunner.query(
      `CREATE TABLE "waiting_list_entry" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "order_id" uuid NOT NULL, "institution_id" uuid NOT NULL, "citizen_id" uuid NOT NULL, "priority" smallint NOT NULL DEFAULT '3', "listed_on" date NOT NULL, "status" text NOT NULL DEFAULT 'waiting', "offered_on" date, "closed_on" date, "note" text, "version" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "ck_waiting_list_entry_offered" CHECK ((status IN ('offered', 'admitted')) = (offered_on IS NOT NULL) AND (status IN ('admitted', 'removed')) = (closed_on IS NOT NULL)), CONSTRAINT "ck_waiting_list_entry_priority" CHECK (priority BETWEEN 1 AND 3), CONSTRAINT "ck_waiting_list_entry_status" CHECK (status IN ('waiting', 'offered', 'admitted', 'removed')), CONSTRAINT "PK_4ab90290a0377e208fd367619b5" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_waiting_list_entry_order" ON "waiting_list_entry"  ("order_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "goal_progress" ADD CONSTRAINT "fk_goal_progress_sub_goal" FOREIGN KEY ("sub_goal_id") REFERENCES "sub_goal"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_note" ADD CONSTRAINT "fk_staff_note_amends" FOREIGN KEY ("amends_note_id") REFERENCES "staff_note"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "delivery_session" ADD CONSTRAINT "fk_delivery_session_corrects" FOREIGN KEY ("corrects_id") REFERENCES "delivery_session"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "attendance" ADD CONSTRAINT "fk_attendance_corrects" FOREIGN KEY ("corrects_id") REFERENCES "attendance"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "treatment_course" ADD CONSTRAINT "fk_treatment_course_corrects" FOREIGN KEY ("corrects_id") REFERENCES "treatment_course"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "stay_absence" ADD CONSTRAINT "fk_stay_absence_stay" FOREIGN KEY ("stay_id") REFERENCES "stay"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    // --- written by hand below ---
    await queryRunner.query(
      `CREATE INDEX ix_waiting_list_queue ON waiting_list_entry (institution_id, priority, listed_on, created_at) WHERE status = 'waiting'`,
    );
    await queryRunner.query(
      `CREATE INDEX ix_use_of_force_report_pending ON use_of_force_report (acting_municipality_id, occurred_at) WHERE review_status = 'pending'`,
    );

    // References into other contexts (visitation's orders and admissions, citizens, organisation), by trigger.
    const references: [string, string, string[]][] = [
      [
        'stay',
        'order_id, admission_id, citizen_id, institution_id',
        [
          'order_id',
          'service_order',
          'admission_id',
          'self_referral_admission',
          'citizen_id',
          'citizen',
          'institution_id',
          'org_unit',
        ],
      ],
      [
        'waiting_list_entry',
        'order_id, citizen_id, institution_id',
        ['order_id', 'service_order', 'citizen_id', 'citizen', 'institution_id', 'org_unit'],
      ],
      [
        'delivery_session',
        'order_id, citizen_id, institution_id, staff_user_id',
        [
          'order_id',
          'service_order',
          'citizen_id',
          'citizen',
          'institution_id',
          'org_unit',
          'staff_user_id',
          'app_user',
        ],
      ],
      [
        'attendance',
        'order_id, citizen_id, institution_id',
        ['order_id', 'service_order', 'citizen_id', 'citizen', 'institution_id', 'org_unit'],
      ],
      [
        'treatment_course',
        'order_id, citizen_id, institution_id',
        ['order_id', 'service_order', 'citizen_id', 'citizen', 'institution_id', 'org_unit'],
      ],
      [
        'sub_goal',
        'order_id, citizen_id, institution_id, decision_id',
        [
          'order_id',
          'service_order',
          'citizen_id',
          'citizen',
          'institution_id',
          'org_unit',
          'decision_id',
          'decision',
        ],
      ],
      [
        'staff_note',
        'order_id, citizen_id, institution_id',
        ['order_id', 'service_order', 'citizen_id', 'citizen', 'institution_id', 'org_unit'],
      ],
      [
        'provider_report',
        'order_id, citizen_id, institution_id',
        ['order_id', 'service_order', 'citizen_id', 'citizen', 'institution_id', 'org_unit'],
      ],
      [
        'use_of_force_report',
        'institution_id, citizen_id, acting_municipality_id',
        ['institution_id', 'org_unit', 'citizen_id', 'citizen', 'acting_municipality_id', 'municipality'],
      ],
    ];
    for (const [table, columns, args] of references)
      await queryRunner.query(
        `CREATE TRIGGER trg_${table}_references BEFORE INSERT OR UPDATE OF ${columns} ON ${table}
           FOR EACH ROW EXECUTE FUNCTION visitation_check_references(${args.map((a) => `'${a}'`).join(', ')})`,
      );

    // Capacity: under a row lock on the institution, no day of the new or changed stay may exceed the
    // institution's capacity. Occupancy only rises where a stay begins, so the days to check are the new
    // stay's first day and the first days of the stays that begin within it.
    await queryRunner.query(`
          CREATE FUNCTION stay_check_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            cap int;
            day date;
            taken int;
          BEGIN
            SELECT capacity INTO cap FROM org_unit WHERE id = NEW.institution_id FOR UPDATE;
            IF cap IS NULL THEN
              RETURN NEW;
            END IF;
            FOR day IN
              SELECT NEW.admitted_on
              UNION
              SELECT s.admitted_on FROM stay s
               WHERE s.institution_id = NEW.institution_id AND s.id <> NEW.id AND s.admitted_on > NEW.admitted_on
                 AND (NEW.discharged_on IS NULL OR s.admitted_on < NEW.discharged_on)
            LOOP
              SELECT count(*) INTO taken FROM stay s
               WHERE s.institution_id = NEW.institution_id AND s.id <> NEW.id
                 AND s.admitted_on <= day AND (s.discharged_on IS NULL OR s.discharged_on > day);
              IF taken >= cap THEN
                RAISE EXCEPTION 'the institution''s % places are all taken on %', cap, day
                  USING ERRCODE = '23514', CONSTRAINT = 'ck_stay_capacity';
              END IF;
            END LOOP;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_stay_capacity BEFORE INSERT OR UPDATE OF institution_id, admitted_on, discharged_on ON stay
         FOR EACH ROW EXECUTE FUNCTION stay_check_capacity()`,
    );
    // A stay's identity and admission stay as recorded; the discharge is recorded once.
    await queryRunner.query(`
          CREATE FUNCTION stay_guard() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF (NEW.order_id, NEW.admission_id, NEW.source, NEW.citizen_id, NEW.institution_id, NEW.admitted_on)
               IS DISTINCT FROM (OLD.order_id, OLD.admission_id, OLD.source, OLD.citizen_id, OLD.institution_id, OLD.admitted_on)
               OR (OLD.discharged_on IS NOT NULL AND (NEW.discharged_on, NEW.discharge_destination) IS DISTINCT FROM (OLD.discharged_on, OLD.discharge_destination))
               OR (OLD.acting_municipality_notified_at IS NOT NULL AND NEW.acting_municipality_notified_at IS DISTINCT FROM OLD.acting_municipality_notified_at) THEN
              RAISE EXCEPTION 'a stay is kept as recorded: the discharge is recorded once' USING ERRCODE = '23514', CONSTRAINT = 'ck_stay_recorded';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_stay_guard BEFORE UPDATE ON stay FOR EACH ROW EXECUTE FUNCTION stay_guard()`,
    );
    await queryRunner.query(`
          CREATE FUNCTION stay_absence_check() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NOT EXISTS (SELECT 1 FROM stay s WHERE s.id = NEW.stay_id AND NEW.from_date >= s.admitted_on
                             AND (s.discharged_on IS NULL OR NEW.to_date < s.discharged_on)) THEN
              RAISE EXCEPTION 'an absence lies within its stay' USING ERRCODE = '23514', CONSTRAINT = 'ck_stay_absence_within';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_stay_absence_check BEFORE INSERT ON stay_absence FOR EACH ROW EXECUTE FUNCTION stay_absence_check()`,
    );

    // Registrations are made on an accepted (or since ended) order, within its grant's period, and a
    // correction corrects a registration of the same order. Arguments: the date column.
    await queryRunner.query(`
          CREATE FUNCTION delivery_check_registration() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            day date := (to_jsonb(NEW) ->> TG_ARGV[0])::date;
            o record;
          BEGIN
            SELECT o.status, o.citizen_id, o.institution_id, g.valid_from, g.valid_to INTO o
              FROM service_order o JOIN citizen_grant g ON g.id = o.grant_id WHERE o.id = NEW.order_id;
            IF o.status IS NULL OR o.status NOT IN ('accepted', 'ended') THEN
              RAISE EXCEPTION 'registrations are made on an accepted order' USING ERRCODE = '23514', CONSTRAINT = 'ck_registration_order_accepted';
            END IF;
            IF (o.citizen_id, o.institution_id) IS DISTINCT FROM (NEW.citizen_id, NEW.institution_id) THEN
              RAISE EXCEPTION 'the registration is of the order''s citizen at its institution' USING ERRCODE = '23514', CONSTRAINT = 'ck_registration_order_accepted';
            END IF;
            IF day < o.valid_from OR (o.valid_to IS NOT NULL AND day > o.valid_to) THEN
              RAISE EXCEPTION 'the day lies outside the grant''s period' USING ERRCODE = '23514', CONSTRAINT = 'ck_registration_period';
            END IF;
            IF (to_jsonb(NEW) ->> 'corrects_id') IS NOT NULL THEN
              EXECUTE format('SELECT order_id FROM %I WHERE id = $1', TG_TABLE_NAME) INTO o USING (to_jsonb(NEW) ->> 'corrects_id')::uuid;
              IF o IS NULL OR o.order_id IS DISTINCT FROM NEW.order_id THEN
                RAISE EXCEPTION 'a correction corrects a registration of the same order' USING ERRCODE = '23514', CONSTRAINT = 'ck_registration_corrects';
              END IF;
            END IF;
            RETURN NEW;
          END $$`);
    for (const [table, column] of [
      ['delivery_session', 'session_date'],
      ['attendance', 'attended_on'],
      ['treatment_course', 'started_on'],
    ])
      await queryRunner.query(
        `CREATE TRIGGER trg_${table}_registration BEFORE INSERT ON ${table} FOR EACH ROW EXECUTE FUNCTION delivery_check_registration('${column}')`,
      );

    // A sub-goal serves one of the order's decision's goals; a note amends a note of the same order.
    await queryRunner.query(`
          CREATE FUNCTION sub_goal_check_goal() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NOT EXISTS (SELECT 1 FROM decision_goal WHERE decision_id = NEW.decision_id AND ordinal = NEW.goal_ordinal) THEN
              RAISE EXCEPTION 'the sub-goal serves a goal of the order''s decision' USING ERRCODE = '23514', CONSTRAINT = 'ck_sub_goal_goal';
            END IF;
            IF (NEW.order_id, NEW.decision_id, NEW.goal_ordinal) IS DISTINCT FROM (coalesce(OLD.order_id, NEW.order_id), coalesce(OLD.decision_id, NEW.decision_id), coalesce(OLD.goal_ordinal, NEW.goal_ordinal)) THEN
              RAISE EXCEPTION 'a sub-goal stays under its goal' USING ERRCODE = '23514', CONSTRAINT = 'ck_sub_goal_goal';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_sub_goal_check_goal BEFORE INSERT OR UPDATE ON sub_goal FOR EACH ROW EXECUTE FUNCTION sub_goal_check_goal()`,
    );
    await queryRunner.query(`
          CREATE FUNCTION staff_note_check_amends() RETURNS trigger LANGUAGE plpgsql AS $$
          BEGIN
            IF NEW.amends_note_id IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM staff_note WHERE id = NEW.amends_note_id AND order_id = NEW.order_id) THEN
              RAISE EXCEPTION 'the amended note is a note of the same order' USING ERRCODE = '23514', CONSTRAINT = 'ck_staff_note_amends';
            END IF;
            RETURN NEW;
          END $$`);
    await queryRunner.query(
      `CREATE TRIGGER trg_staff_note_check_amends BEFORE INSERT ON staff_note FOR EACH ROW EXECUTE FUNCTION staff_note_check_amends()`,
    );

    await queryRunner.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON delivery_session, attendance, treatment_course, goal_progress, staff_note, provider_report, stay_absence FROM bum_app`,
    );
    await queryRunner.query(
      `REVOKE DELETE, TRUNCATE ON stay, waiting_list_entry, sub_goal, use_of_force_report FROM bum_app`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['delivery_session', 'attendance', 'treatment_course'])
      await queryRunner.query(`DROP TRIGGER IF EXISTS trg_${table}_registration ON ${table}`);
    for (const table of [
      'stay',
      'waiting_list_entry',
      'delivery_session',
      'attendance',
      'treatment_course',
      'sub_goal',
      'staff_note',
      'provider_report',
      'use_of_force_report',
    ])
      await queryRunner.query(`DROP TRIGGER IF EXISTS trg_${table}_references ON ${table}`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_staff_note_check_amends ON staff_note`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_sub_goal_check_goal ON sub_goal`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_stay_absence_check ON stay_absence`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_stay_guard ON stay`);
    await queryRunner.query(`DROP TRIGGER IF EXISTS trg_stay_capacity ON stay`);
    for (const fn of [
      'staff_note_check_amends',
      'sub_goal_check_goal',
      'delivery_check_registration',
      'stay_absence_check',
      'stay_guard',
      'stay_check_capacity',
    ])
      await queryRunner.query(`DROP FUNCTION IF EXISTS ${fn}()`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_use_of_force_report_pending`);
    await queryRunner.query(`DROP INDEX IF EXISTS ix_waiting_list_queue`);
    await queryRunner.query(`ALTER TABLE "stay_absence" DROP CONSTRAINT "fk_stay_absence_stay"`);
    await queryRunner.query(`ALTER TABLE "treatment_course" DROP CONSTRAINT "fk_treatment_course_corrects"`);
    await queryRunner.query(`ALTER TABLE "attendance" DROP CONSTRAINT "fk_attendance_corrects"`);
    await queryRunner.query(`ALTER TABLE "delivery_session" DROP CONSTRAINT "fk_delivery_session_corrects"`);
    await queryRunner.query(`ALTER TABLE "staff_note" DROP CONSTRAINT "fk_staff_note_amends"`);
    await queryRunner.query(`ALTER TABLE "goal_progress" DROP CONSTRAINT "fk_goal_progress_sub_goal"`);
    await queryRunner.query(`DROP INDEX "public"."uq_waiting_list_entry_order"`);
    await queryRunner.query(`DROP TABLE "waiting_list_entry"`);
    await queryRunner.query(`DROP INDEX "public"."ix_stay_absence_stay"`);
    await queryRunner.query(`DROP TABLE "stay_absence"`);
    await queryRunner.query(`DROP INDEX "public"."ix_stay_institution"`);
    await queryRunner.query(`DROP INDEX "public"."uq_stay_order"`);
    await queryRunner.query(`DROP INDEX "public"."uq_stay_admission"`);
    await queryRunner.query(`DROP TABLE "stay"`);
    await queryRunner.query(`DROP INDEX "public"."ix_use_of_force_report_institution"`);
    await queryRunner.query(`DROP TABLE "use_of_force_report"`);
    await queryRunner.query(`DROP INDEX "public"."ix_provider_report_order"`);
    await queryRunner.query(`DROP TABLE "provider_report"`);
    await queryRunner.query(`DROP INDEX "public"."ix_treatment_course_order"`);
    await queryRunner.query(`DROP INDEX "public"."uq_treatment_course_corrects"`);
    await queryRunner.query(`DROP TABLE "treatment_course"`);
    await queryRunner.query(`DROP INDEX "public"."ix_attendance_order"`);
    await queryRunner.query(`DROP INDEX "public"."uq_attendance_corrects"`);
    await queryRunner.query(`DROP TABLE "attendance"`);
    await queryRunner.query(`DROP INDEX "public"."ix_delivery_session_order"`);
    await queryRunner.query(`DROP INDEX "public"."ix_delivery_session_institution"`);
    await queryRunner.query(`DROP INDEX "public"."uq_delivery_session_corrects"`);
    await queryRunner.query(`DROP TABLE "delivery_session"`);
    await queryRunner.query(`DROP INDEX "public"."ix_staff_note_order"`);
    await queryRunner.query(`DROP TABLE "staff_note"`);
    await queryRunner.query(`DROP INDEX "public"."ix_goal_progress_sub_goal"`);
    await queryRunner.query(`DROP TABLE "goal_progress"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sub_goal_order"`);
    await queryRunner.query(`DROP TABLE "sub_goal"`);
  }
}

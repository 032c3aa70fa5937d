import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Fixes found in review. An order whose waiting-list entry was removed can be listed again (the unique
 * index only covers open entries), and an entry that was offered a place can be removed (it keeps its
 * offered_on). And a discharge (or any change that only shortens a stay) no longer
 * re-runs the capacity check: lowering an institution's capacity below its occupancy must not block
 * discharges.
 */
export class FixWaitingListAndDischarge1795452744299 implements MigrationInterface {
  name = 'FixWaitingListAndDischarge1795452744299';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."uq_waiting_list_entry_order"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_waiting_list_entry_order" ON "waiting_list_entry" ("order_id") WHERE status IN ('waiting', 'offered')`,
    );
    await queryRunner.query(
      `ALTER TABLE "waiting_list_entry" DROP CONSTRAINT "ck_waiting_list_entry_offered"`,
    );
    await queryRunner.query(
      `ALTER TABLE "waiting_list_entry" ADD CONSTRAINT "ck_waiting_list_entry_offered" CHECK ((status NOT IN ('offered', 'admitted') OR offered_on IS NOT NULL) AND (status <> 'waiting' OR offered_on IS NULL) AND (status IN ('admitted', 'removed')) = (closed_on IS NOT NULL))`,
    );
    await queryRunner.query(`
          CREATE OR REPLACE FUNCTION stay_check_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            cap int;
            day date;
            taken int;
          BEGIN
            -- A stay that only gets shorter (a discharge) frees places; it never needs a place.
            IF TG_OP = 'UPDATE' AND NEW.institution_id = OLD.institution_id AND NEW.admitted_on = OLD.admitted_on
               AND (OLD.discharged_on IS NULL OR (NEW.discharged_on IS NOT NULL AND NEW.discharged_on <= OLD.discharged_on)) THEN
              RETURN NEW;
            END IF;
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
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "waiting_list_entry" DROP CONSTRAINT "ck_waiting_list_entry_offered"`,
    );
    await queryRunner.query(
      `ALTER TABLE "waiting_list_entry" ADD CONSTRAINT "ck_waiting_list_entry_offered" CHECK ((status IN ('offered', 'admitted')) = (offered_on IS NOT NULL) AND (status IN ('admitted', 'removed')) = (closed_on IS NOT NULL))`,
    );
    await queryRunner.query(`DROP INDEX "public"."uq_waiting_list_entry_order"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "uq_waiting_list_entry_order" ON "waiting_list_entry" ("order_id")`,
    );
    await queryRunner.query(`
          CREATE OR REPLACE FUNCTION stay_check_capacity() RETURNS trigger LANGUAGE plpgsql AS $$
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
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * delivery_check_registration() as created by CreateDelivery named its record variable `o`, the same as the
 * alias of service_order in its SELECT ... INTO o FROM service_order o: PL/pgSQL resolved `o.status` to the
 * (unassigned) variable, so every INSERT into delivery_session, attendance and treatment_course failed with
 * "record "o" is not assigned yet". Same rules, distinct names. A merged migration is never edited, hence this one.
 */
export class FixDeliveryRegistrationCheck1795450100000 implements MigrationInterface {
  name = 'FixDeliveryRegistrationCheck1795450100000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
          CREATE OR REPLACE FUNCTION delivery_check_registration() RETURNS trigger LANGUAGE plpgsql AS $$
          DECLARE
            day date := (to_jsonb(NEW) ->> TG_ARGV[0])::date;
            ord record;
            corrected_order_id uuid;
          BEGIN
            SELECT so.status, so.citizen_id, so.institution_id, g.valid_from, g.valid_to INTO ord
              FROM service_order so JOIN citizen_grant g ON g.id = so.grant_id WHERE so.id = NEW.order_id;
            IF NOT FOUND OR ord.status NOT IN ('accepted', 'ended') THEN
              RAISE EXCEPTION 'registrations are made on an accepted order' USING ERRCODE = '23514', CONSTRAINT = 'ck_registration_order_accepted';
            END IF;
            IF (ord.citizen_id, ord.institution_id) IS DISTINCT FROM (NEW.citizen_id, NEW.institution_id) THEN
              RAISE EXCEPTION 'the registration is of the order''s citizen at its institution' USING ERRCODE = '23514', CONSTRAINT = 'ck_registration_order_accepted';
            END IF;
            IF day < ord.valid_from OR (ord.valid_to IS NOT NULL AND day > ord.valid_to) THEN
              RAISE EXCEPTION 'the day lies outside the grant''s period' USING ERRCODE = '23514', CONSTRAINT = 'ck_registration_period';
            END IF;
            IF (to_jsonb(NEW) ->> 'corrects_id') IS NOT NULL THEN
              EXECUTE format('SELECT order_id FROM %I WHERE id = $1', TG_TABLE_NAME) INTO corrected_order_id USING (to_jsonb(NEW) ->> 'corrects_id')::uuid;
              IF corrected_order_id IS DISTINCT FROM NEW.order_id THEN
                RAISE EXCEPTION 'a correction corrects a registration of the same order' USING ERRCODE = '23514', CONSTRAINT = 'ck_registration_corrects';
              END IF;
            END IF;
            RETURN NEW;
          END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    // Back to CreateDelivery's definition (with its defect), so that its own down() finds what it created.
    await queryRunner.query(`
          CREATE OR REPLACE FUNCTION delivery_check_registration() RETURNS trigger LANGUAGE plpgsql AS $$
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
  }
}

import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  ManyToOne,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { Municipality } from 'src/modules/organisation/municipality.entity';
import {
  AREA_TYPES,
  AreaType,
  INSTITUTION_TYPES,
  InstitutionType,
  ORG_UNIT_KINDS,
  OrgUnitKind,
  PLACE_BASED_TYPES,
  sqlList,
} from 'src/modules/organisation/organisation.constants';

/**
 * An organisational unit of a municipality: the authority (myndighed), an operating area (driftsområde) or an
 * institution (tilbud). External institutions belong to another municipality.
 */
@Entity({ name: 'org_unit' })
@Check('ck_org_unit_kind', `kind IN (${sqlList(ORG_UNIT_KINDS)})`)
@Check('ck_org_unit_area_type', `area_type IS NULL OR area_type IN (${sqlList(AREA_TYPES)})`)
@Check('ck_org_unit_institution_type', `institution_type IS NULL OR institution_type IN (${sqlList(INSTITUTION_TYPES)})`)
@Check('ck_org_unit_capacity', 'capacity IS NULL OR capacity >= 0')
@Check('ck_org_unit_name', `length(btrim(name)) > 0`)
@Check(
  'ck_org_unit_shape',
  `(kind = 'authority' AND parent_id IS NULL AND area_type IS NULL AND institution_type IS NULL AND capacity IS NULL)
   OR (kind = 'operatingArea' AND area_type IS NOT NULL AND institution_type IS NULL AND capacity IS NULL)
   OR (kind = 'institution' AND institution_type IS NOT NULL AND area_type IS NULL)`,
)
@Check(
  'ck_org_unit_place_capacity',
  `kind <> 'institution' OR institution_type NOT IN (${sqlList(PLACE_BASED_TYPES)}) OR capacity IS NOT NULL`,
)
@Index('ix_org_unit_parent', ['parentId'])
@Index('uq_org_unit_name_per_parent', { synchronize: false })
@Index('uq_org_unit_one_authority', { synchronize: false })
export class OrgUnit {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @ManyToOne(() => Municipality, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'municipality_id', foreignKeyConstraintName: 'fk_org_unit_municipality' })
  municipality?: Municipality;

  @Column({ type: 'text' })
  kind: OrgUnitKind;

  @Column({ type: 'uuid', nullable: true })
  parentId: string | null;

  @ManyToOne(() => OrgUnit, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'parent_id', foreignKeyConstraintName: 'fk_org_unit_parent' })
  parent?: OrgUnit;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', nullable: true })
  areaType: AreaType | null;

  @Column({ type: 'text', nullable: true })
  institutionType: InstitutionType | null;

  /** Places (pladser) for place-based institutions. */
  @Column({ type: 'integer', nullable: true })
  capacity: number | null;

  @Column({ type: 'text', nullable: true })
  street: string | null;

  @Column({ type: 'text', nullable: true })
  postalCode: string | null;

  @Column({ type: 'text', nullable: true })
  city: string | null;

  @Column({ type: 'text', nullable: true })
  phone: string | null;

  @Column({ type: 'text', nullable: true })
  email: string | null;

  @VersionColumn()
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

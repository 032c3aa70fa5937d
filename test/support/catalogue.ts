/** A complete draft body; tests override single fields. */
export function draftFields(overrides: Record<string, unknown> = {}) {
  return {
    legalBasis: { law: 'SEL', paragraph: '85', subsection: 1 },
    targetGroup: 'Voksne med betydelig nedsat funktionsevne',
    purpose: 'Udvikling',
    content: 'Støtte i hjemmet',
    scopeUnit: 'hoursPerWeek',
    scopeMin: 1,
    scopeMax: 10,
    maxDurationMonths: null,
    followUpIntervalMonths: 6,
    caseworkDeadlineDays: 56,
    startDeadlineDays: null,
    settlementBasis: 'granted',
    areaTypes: ['disability'],
    institutionTypes: ['housingSupport'],
    panelApprovalRequired: false,
    leastInterventionRule: false,
    appealable: true,
    selfReferral: false,
    anonymousAllowed: false,
    belowStatePensionAgeOnly: false,
    shortNoticeCancellationChargeable: false,
    actionPlan: 'offer',
    accountFunction: '5.38.38',
    accountGroup: '004',
    localServiceCode: 'TEST-1',
    ffbTargetGroups: ['Udviklingshæmning'],
    ...overrides,
  };
}


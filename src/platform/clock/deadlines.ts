/** Afgørelsens meddelelse: digital post, a paper letter, or handed over in person. */
export const NOTIFICATION_CHANNELS = ['digitalPost', 'letter', 'handedOver'] as const;
export type NotificationChannel = (typeof NOTIFICATION_CHANNELS)[number];

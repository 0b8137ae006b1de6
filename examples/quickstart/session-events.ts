import { defineEventType } from 'sleet';

export interface SessionEvent {
  readonly user: string;
}

export const LoginEvent = defineEventType<SessionEvent>('example.quickstart.Login');
export const LogoutEvent = defineEventType<SessionEvent>('example.quickstart.Logout');

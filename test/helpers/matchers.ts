// vitest types its asymmetric matchers as `any`; these type each one as the value it stands for, so expected objects stay checked.
import { expect } from 'vitest';

export const anyString = (): string => expect.any(String) as string;
export const anyNumber = (): number => expect.any(Number) as number;
export const stringContaining = (text: string): string => expect.stringContaining(text) as string;
export const stringMatching = (pattern: string | RegExp): string => expect.stringMatching(pattern) as string;
export function arrayContaining<T>(items: T[]): T[] {
  const some: unknown[] = items;
  return expect.arrayContaining(some) as T[];
}
export function objectContaining<T extends object>(shape: T): T {
  const part: object = shape;
  return expect.objectContaining(part) as T;
}

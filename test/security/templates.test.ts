/** Template placeholders read only the values given, never what every object inherits. */
import { describe, expect, it } from 'vitest';
import { renderTemplate, templateFor, type TemplateValues } from '../../src/contract/message-templates.js';

const values: TemplateValues = { label: 'A1', counter: '3', queue: 'Main', place: 'Town hall', ahead: '2', eta: '5', appointment: '' };

describe('message templates', () => {
  it('leaves inherited names as written instead of rendering them', () => {
    expect(renderTemplate('{label} {constructor} {toString} {__proto__} {hasOwnProperty}', values)).toBe(
      'A1 {constructor} {toString} {__proto__} {hasOwnProperty}',
    );
  });

  it('does not take an inherited property of the overrides for a template', () => {
    const template = templateFor('constructor', 'en_US', {});
    expect(typeof template.text).toBe('string');
    expect(templateFor('TICKET_CALLED', 'en_US', { TICKET_CALLED: {} }).text).toContain('{label}');
  });
});

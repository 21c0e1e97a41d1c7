import { describe, expect, it } from 'vitest';
import { endpointUrl } from './api';

describe('endpointUrl', () => {
  it('fills path params encoded and leaves empty query values out', () => {
    expect(endpointUrl('/api/tasks/:id/draw/verify', { id: 'a/b c' }, { limit: 5, cursor: '', x: undefined })).toBe('/api/tasks/a%2Fb%20c/draw/verify?limit=5');
  });
  it('throws naming the parameter when a path param is missing', () => {
    expect(() => endpointUrl('/api/alerts/:id', {})).toThrow(/missing path parameter id/);
  });
});

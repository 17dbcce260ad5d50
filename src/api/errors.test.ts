import { AlreadyExists, Conflict, errorFromStatus, Gone, Invalid, NotFound, InternalError } from './errors';

describe('error catalogue', () => {
  it('renders a NotFound as a Kubernetes Status with matching code', () => {
    const status = new NotFound('deployments.apps "web" not found', { name: 'web', group: 'apps', kind: 'deployments' }).toStatus();
    expect(status).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "web" not found',
      reason: 'NotFound',
      details: { name: 'web', group: 'apps', kind: 'deployments' },
      code: 404,
    });
  });

  it.each([
    [404, 'NotFound', NotFound],
    [409, 'AlreadyExists', AlreadyExists],
    [409, 'Conflict', Conflict],
    [410, 'Expired', Gone],
    [422, 'Invalid', Invalid],
  ])('maps a %i %s Status back to its class', (code, reason, Class) => {
    expect(errorFromStatus(code, { reason, message: 'm' })).toBeInstanceOf(Class);
  });

  it('falls back to the HTTP code when the body is not a Status', () => {
    expect(errorFromStatus(404)).toBeInstanceOf(NotFound);
    expect(errorFromStatus(599)).toBeInstanceOf(InternalError);
  });

  it('marks conflicts retryable and bad input not', () => {
    expect(new Conflict('x').retryable).toBe(true);
    expect(new Invalid('x').retryable).toBe(false);
  });

  it('keeps field causes on Invalid', () => {
    const e = new Invalid('Pod "p" is invalid', { causes: [{ reason: 'FieldValueRequired', message: 'Required value', field: 'spec.containers' }] });
    expect(e.causes.map((c) => c.field)).toEqual(['spec.containers']);
  });
});

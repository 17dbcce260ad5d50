import { queryBoolean } from './query-boolean';

describe('queryBoolean', () => {
  it.each([
    ['watch=true', true],
    ['watch=True', true],
    ['watch=1', true],
    ['watch=', true],
    ['watch=yes', true],
    ['watch=false', false],
    ['watch=FALSE', false],
    ['watch=0', false],
    ['other=true', undefined],
  ])('reads %s as %s', (query, expected) => {
    expect(queryBoolean(new URLSearchParams(query), 'watch')).toBe(expected);
  });
});

import { compareVersions, normalizeVersion, sameVersion } from '../lambda/core/version';

describe('normalizeVersion', () => {
  test('a three-part version comes back unchanged', () => {
    expect(normalizeVersion('8.6.1')).toBe('8.6.1');
  });

  test('two-part versions are versions', () => {
    expect(normalizeVersion('5.9')).toBe('5.9');
  });

  test('a trailing ".0" fourth part is dropped, as Windows reports package 8.6.1 as 8.6.1.0', () => {
    expect(normalizeVersion('8.6.1.0')).toBe('8.6.1');
    expect(normalizeVersion('2.2.4.0')).toBe('2.2.4');
  });

  test('a meaningful fourth part is kept', () => {
    expect(normalizeVersion('1.4.0.13')).toBe('1.4.0.13');
  });

  test('a leading "v", "V" or ">" is decoration and is removed', () => {
    expect(normalizeVersion('v1.8.2')).toBe('1.8.2');
    expect(normalizeVersion('V2.11.0')).toBe('2.11.0');
    expect(normalizeVersion('>1.0.0')).toBe('1.0.0');
  });

  test('leading zeros in parts are removed', () => {
    expect(normalizeVersion('08.06.01')).toBe('8.6.1');
    expect(normalizeVersion('2.011.00.000')).toBe('2.11.0');
  });

  test.each([
    ['a single number', '8'],
    ['five parts', '1.2.3.4.5'],
    ['an empty part', '8..1'],
    ['a trailing dot', '8.6.1.'],
    ['a part of seven digits', '1.2.1234567'],
    ['letters', '8.6.1a'],
    ['surrounding spaces', ' 8.6.1'],
    ['two prefixes', 'vv8.6.1'],
    ['an empty string', ''],
    ['non-ASCII digits', '٨.٦.١'],
  ])('%s is not a version', (_, raw) => {
    expect(normalizeVersion(raw)).toBeNull();
  });

  test('parts of up to six digits are accepted', () => {
    expect(normalizeVersion('1.0.123456')).toBe('1.0.123456');
  });
});

describe('compareVersions', () => {
  test('parts compare as numbers, not text', () => {
    expect(compareVersions('2.11.0', '2.9.0')).toBeGreaterThan(0);
    expect(compareVersions('2.9.0', '2.11.0')).toBeLessThan(0);
  });

  test('missing parts count as zero', () => {
    expect(compareVersions('8.6.1', '8.6.1.0')).toBe(0);
    expect(compareVersions('8.6', '8.6.0.1')).toBeLessThan(0);
  });

  test('decoration and leading zeros do not change the order', () => {
    expect(compareVersions('v1.8.2', '01.8.2')).toBe(0);
  });

  test('sorting with it puts changelog rows newest first', () => {
    const rows = ['8.4.3', '8.6.1', '8.10.0', '8.6.0', '7.4.6'];
    expect(rows.sort((a, b) => compareVersions(b, a))).toEqual(['8.10.0', '8.6.1', '8.6.0', '8.4.3', '7.4.6']);
  });

  test('a string that is not a version sorts below every version instead of throwing', () => {
    expect(compareVersions('unknown', '0.1')).toBeLessThan(0);
    expect(compareVersions('0.1', 'unknown')).toBeGreaterThan(0);
  });
});

describe('sameVersion', () => {
  test('the installed four-part form names the same release as the package version', () => {
    expect(sameVersion('8.6.1.0', '8.6.1')).toBe(true);
  });

  test('different releases are not the same', () => {
    expect(sameVersion('1.4.0.13', '1.4.0')).toBe(false);
  });

  test('a string that is not a version is never the same as anything', () => {
    expect(sameVersion('latest', 'latest')).toBe(false);
  });
});

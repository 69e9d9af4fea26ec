import { aggregateBundleStatus } from './bundle-status';

describe('aggregate status of a life-event bundle', () => {
  it.each([
    [3, ['SUBMITTED', 'SUBMITTED', 'SUBMITTED'], 'SUBMITTED'],
    [3, ['SUBMITTED', 'SUBMITTED'], 'SUBMITTED'],
    [3, ['RECEIVED', 'SUBMITTED', 'SUBMITTED'], 'PROCESSING'],
    [3, ['COMPLETED', 'PROCESSING', 'SUBMITTED'], 'PROCESSING'],
    [3, ['COMPLETED', 'ACTION_REQUIRED', 'PROCESSING'], 'ACTION_REQUIRED'],
    [3, ['COMPLETED', 'COMPLETED', 'COMPLETED'], 'COMPLETED'],
    [3, ['COMPLETED', 'COMPLETED'], 'PROCESSING'],
    [3, ['COMPLETED', 'REJECTED', 'COMPLETED'], 'PARTIALLY_COMPLETED'],
    [2, ['REJECTED', 'REJECTED'], 'REJECTED'],
  ] as const)('size %i, sub-cases %j → %s', (size, statuses, expected) => {
    expect(aggregateBundleStatus(size, [...statuses])).toBe(expected);
  });
});

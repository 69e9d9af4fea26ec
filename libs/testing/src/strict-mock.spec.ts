import { strictMock } from './strict-mock';

interface Port {
  find(id: string): Promise<string | undefined>;
  save(id: string): Promise<void>;
}

describe('strictMock', () => {
  it('answers with what the test set up', async () => {
    const port = strictMock<Port>('Port', { find: (id) => Promise.resolve(`found ${id}`) });
    expect(await port.find('a')).toBe('found a');
  });

  it('fails a call nobody set up, naming port and method', async () => {
    const port = strictMock<Port>('Port', { find: () => Promise.resolve(undefined) });
    expect(() => port.save('a')).toThrow('Port.save() was called, but the test did not set it up');
    const useCase = async () => {
      await port.save('a');
    };
    await expect(useCase()).rejects.toThrow(/Port\.save\(\)/);
  });

  it('takes methods set afterwards and is not mistaken for a promise', async () => {
    const port = strictMock<Port>('Port');
    port.save = jest.fn().mockResolvedValue(undefined);
    await port.save('b');
    expect(port.save).toHaveBeenCalledWith('b');
    expect(await Promise.resolve(port)).toBe(port);
  });
});

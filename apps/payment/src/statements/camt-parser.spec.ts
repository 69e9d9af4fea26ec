import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCamt } from './camt-parser';

const CAMT = resolve(__dirname, '../../../../../shared/testdata/camt');
const read = (name: string) => readFileSync(resolve(CAMT, name), 'utf8');

describe('camt parser', () => {
  const valid = readdirSync(CAMT).filter((f) => f.endsWith('.xml') && !f.includes('wrong'));

  it.each(valid)('reads %s with every amount exactly as written', async (file) => {
    const xml = read(file);
    const message = await parseCamt(xml);
    expect(message.items.length).toBeGreaterThan(0);
    for (const item of message.items) expect(xml).toContain(`>${item.amount}<`);
  });

  it('keeps trailing zeros of five-decimal amounts and reads each transaction of a batch', async () => {
    const five = await parseCamt(read('genkgo__camt053.v2.five.decimals.xml'));
    expect(five.items.map((i) => i.amount)).toEqual(['8.850']);
    const batch = await parseCamt(read('genkgo__camt054.v4.xml'));
    expect(batch.kind).toBe('camt.054');
    expect(batch.version).toBe('04');
    expect(batch.items.map((i) => [i.amount, i.currency, i.direction, i.endToEndId])).toEqual([
      ['3.1', 'CHF', 'CRDT', 'UXC06170000006PI00001EE00001'],
      ['3.2', 'CHF', 'CRDT', 'UXC06170000006PI00001EE00002'],
      expect.arrayContaining(['CHF']),
    ]);
    expect(batch.items[0]!.batchSize).toBe(2);
    expect(batch.items[0]!.structuredRefs).toEqual(['ISR ref number V1']);
  });

  it('reads two statements of one message with their own ids', async () => {
    const multi = await parseCamt(read('genkgo__camt053.v2.multi.statement.xml'));
    expect(multi.statementIds).toHaveLength(2);
    expect(new Set(multi.items.map((i) => i.statementId)).size).toBe(2);
  });

  it('refuses the wrong file, a DOCTYPE and a foreign document with a clear error', async () => {
    await expect(parseCamt(read('genkgo__camt053.v2.wrong.xml'))).rejects.toThrow(/has no Stmt \(statement\) element/);
    await expect(parseCamt('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x "y">]><Document/>')).rejects.toThrow(/DOCTYPE/);
    await expect(parseCamt('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>')).rejects.toThrow(/not a camt/);
    await expect(parseCamt('<Document')).rejects.toThrow(/not well-formed/);
  });

  it('joins remittance lines and reads return reasons and charges', async () => {
    const xml = `<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"><BkToCstmrStmt><GrpHdr><MsgId>M1</MsgId></GrpHdr>
      <Stmt><Id>S1</Id><Ntry><Amt Ccy="EUR">30.50</Amt><CdtDbtInd>DBIT</CdtDbtInd><Sts><Cd>BOOK</Cd></Sts><NtryDtls><TxDtls>
      <Refs><EndToEndId>NOTPROVIDED</EndToEndId></Refs><Chrgs><Rcrd><Amt Ccy="EUR">1.20</Amt></Rcrd></Chrgs>
      <RmtInf><Ustrd>KZ 12054-2026-00</Ustrd><Ustrd>00042-7 GEBUEHR</Ustrd></RmtInf><RtrInf><Rsn><Cd>AC06</Cd></Rsn></RtrInf>
      </TxDtls></NtryDtls></Ntry></Stmt></BkToCstmrStmt></Document>`;
    const [item] = (await parseCamt(xml)).items;
    expect(item).toMatchObject({
      amount: '30.50',
      direction: 'DBIT',
      status: 'BOOK',
      remittance: 'KZ 12054-2026-0000042-7 GEBUEHR',
      returnReasonCode: 'AC06',
      charges: ['1.20'],
      endToEndId: 'NOTPROVIDED',
    });
  });
});

/** Persons: the ID number is checked (GB 11643), stored only as an encrypted box, indexed by a keyed hash, shown masked. */
import { YzError, boxOpen, boxSeal, hmacSm3, toHex, utf8 } from '@yinzhang/gm';
import type { Ctx, Change } from '../context.js';
import { isValidIdNumber, maskIdNumber } from '../checkdigits.js';
import { newId } from '../util.js';

export interface PersonInput { name: string; idNumber: string; phone?: string | undefined }

export async function createPerson(ctx: Ctx, c: Change, orgId: string, input: PersonInput): Promise<string> {
  const idNumber = input.idNumber.toUpperCase();
  if (!isValidIdNumber(idNumber)) throw new YzError('ID_NUMBER_INVALID', 'ID number fails the GB 11643 check', { field: 'idNumber' });
  const id = newId();
  const index = toHex(hmacSm3(ctx.indexKey, utf8(idNumber)));
  const dup = await c.tx.selectFrom('persons').select('id').where('org_id', '=', orgId).where('id_index', '=', index).executeTakeFirst();
  if (dup) throw new YzError('ALREADY_EXISTS', 'this person is already registered for the organisation', { personId: dup.id });
  await c.tx.insertInto('persons').values({
    id, org_id: orgId, name: input.name, id_enc: boxSeal(ctx.dataKey, utf8(idNumber), utf8(id)), id_index: index,
    id_masked: maskIdNumber(idNumber), phone: input.phone ?? null, created_at: c.at,
  }).execute();
  await c.audit({ action: 'person.create', objectType: 'person', objectId: id, data: { orgId, name: input.name, idMasked: maskIdNumber(idNumber) } });
  return id;
}

/** Only for the holder's own certificate subject or filing; never returned by the API. */
export function revealIdNumber(ctx: Ctx, row: { id: string; id_enc: Uint8Array }): string {
  return new TextDecoder().decode(boxOpen(ctx.dataKey, new Uint8Array(row.id_enc), utf8(row.id)));
}

export const personView = (r: { id: string; org_id: string; name: string; id_masked: string; phone: string | null; created_at: string }) => ({
  id: r.id, orgId: r.org_id, name: r.name, idNumberMasked: r.id_masked, phone: r.phone ? r.phone.slice(0, 3) + '****' + r.phone.slice(-4) : null, createdAt: r.created_at,
});

export const personSchema = {
  type: 'object', required: ['name', 'idNumber'], additionalProperties: false, properties: {
    name: { type: 'string', minLength: 1, maxLength: 64 },
    idNumber: { type: 'string', minLength: 18, maxLength: 18 },
    phone: { type: 'string', pattern: '^1[0-9]{10}$' },
  },
} as const;

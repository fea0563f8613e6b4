/** Every CLI verb, in the order `yinzhang --help` lists them. Add new verbs here (one module per verb). */
import type { Command } from '../command.js';
import { gmKeygen } from './gm-keygen.js';
import { gmSm3 } from './gm-sm3.js';
import { gmSign } from './gm-sign.js';
import { gmVerify } from './gm-verify.js';
import { caInit } from './ca-init.js';
import { caIssue } from './ca-issue.js';
import { caRevoke } from './ca-revoke.js';
import { caCrl } from './ca-crl.js';
import { certVerify } from './cert-verify.js';
import { tsaServe } from './tsa-serve.js';
import { ofdCreate } from './ofd-create.js';
import { sign } from './sign.js';
import { verify } from './verify.js';
import { sealMake } from './seal-make.js';
import { sealInspect } from './seal-inspect.js';
import { sealRender } from './seal-render.js';
import { sealCompare } from './seal-compare.js';
import { serve } from './serve.js';
import { auditVerify } from './audit-verify.js';
import { demo } from './demo.js';

export const commands: Command[] = [gmKeygen, gmSm3, gmSign, gmVerify, caInit, caIssue, caRevoke, caCrl, certVerify, tsaServe, sealRender, sealMake, sealInspect, sealCompare, sign, verify, ofdCreate, serve, auditVerify, demo];

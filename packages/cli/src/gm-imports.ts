// Re-exports the gm pieces the CLI verbs use, including the DER helpers that live on a sub-path.
export * from '@yinzhang/gm';
export { Tag, children, readSingle } from '@yinzhang/gm/der';

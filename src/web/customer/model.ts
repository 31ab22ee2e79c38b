// The model lives in src/common so the server's customer presenter and these components share it.
export type * from '../../common/rules/customer-page-model.ts';

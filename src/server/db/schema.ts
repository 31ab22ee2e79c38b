/**
 * Table types of the database, shared by SQLite and PostgreSQL.
 * To keep the two databases equal, columns use only portable types: ids are opaque text
 * (random UUIDs), times are ISO 8601 UTC text (`toISOString()`, so they sort as text),
 * booleans are integers 0/1. See docs/architecture.md.
 */
export interface CompaniesTable {
  id: string;
  name: string;
  org_number: string | null;
  portal_type: 'insurance' | 'contractor';
  logo_key: string | null;
  created_at: string;
}

export interface UsersTable {
  id: string;
  company_id: string;
  name: string;
  email: string;
  phone: string | null;
  level: number;
  active: number;
  password_hash: string;
  created_at: string;
  updated_at: string;
}

export interface StaffSessionsTable {
  /** HMAC of the session token; the token itself is only in the cookie. */
  id: string;
  user_id: string;
  company_id: string;
  created_at: string;
  last_seen_at: string;
  expires_at: string;
}

export interface ApiKeysTable {
  id: string;
  company_id: string;
  name: string;
  level: number;
  key_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface PartnersTable {
  id: string;
  company_id: string;
  name: string;
  org_number: string | null;
  created_at: string;
}

export interface OfficesTable {
  id: string;
  company_id: string;
  partner_id: string;
  name: string;
  phone: string | null;
  email: string | null;
  created_at: string;
}

export interface PersonsTable {
  id: string;
  company_id: string;
  office_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  created_at: string;
}

/** Failed attempts (logins, later SMS codes) counted in a sliding window, shared by all processes. */
export interface AuthFailuresTable {
  id: string;
  bucket: string;
  key: string;
  at: string;
}

export interface Database {
  companies: CompaniesTable;
  users: UsersTable;
  staff_sessions: StaffSessionsTable;
  api_keys: ApiKeysTable;
  partners: PartnersTable;
  offices: OfficesTable;
  persons: PersonsTable;
  auth_failures: AuthFailuresTable;
}

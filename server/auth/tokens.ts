/** Who a request or socket acts as: read from the users table on every use (server/auth/sessions.ts). */
import type { Role } from '../../sql/queries/users.js';

export interface SessionUser { username: string; role: Role; bureau: string; officer: string }

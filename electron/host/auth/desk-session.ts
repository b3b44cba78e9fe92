/**
 * Who is working at this desk. Staff sign in with their login and password: checked by the server
 * when the desk can reach it (and then remembered here with this desk's own argon2id verifier), or,
 * while it cannot, against what this desk remembers, so staff who signed in here before can work
 * offline. A password the server refuses is forgotten here too, so an old password stops working
 * offline as soon as the desk has seen it changed.
 *
 * The session survives a restart of the desk (meta `session`); signing out ends it. A desk that is
 * not enrolled with a server (the demo) works as the actor its demo set up.
 */
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../../../core/errors';
import type { Actor } from '../../../core/mutator';
import { isRole } from '../../../core/permissions';
import type { Replica } from '../replica/replica';
import { DEVICE_TOKEN_META, SERVER_URL_META } from '../sync/desk-sync';
import { loginWithServer, type StaffProfile } from '../sync/server-api';

/** OWASP's argon2id minimum (19 MiB, 2 passes): a desk signs in rarely and must not wait. */
const ARGON = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

interface DeskLoginRow {
  login: string;
  staff_id: string;
  organization_id: string;
  name: string;
  role: string;
  site_id: string | null;
  verifier: string;
}

export interface SessionInfo {
  staffId: string;
  name: string;
  role: Actor['role'];
  siteId: string | null;
  organizationId: string;
  /** How the password was checked: by the server, or by this desk while offline. */
  checkedBy: 'server' | 'desk';
}

export class DeskSession {
  private current: SessionInfo | null;

  constructor(
    private readonly replica: Replica,
    private readonly fallback: () => Actor | null,
    private readonly now: () => number,
  ) {
    const saved = replica.getMeta('session');
    this.current = saved ? (JSON.parse(saved) as SessionInfo) : null;
  }

  /** Whether this desk is enrolled with a server (and so needs staff to sign in). */
  get enrolled(): boolean {
    return this.replica.getMeta(SERVER_URL_META) !== null && this.replica.getMeta(DEVICE_TOKEN_META) !== null;
  }

  info(): SessionInfo | null {
    return this.current;
  }

  /** The actor every call of the UI runs as; null when nobody is signed in. */
  actor(): Actor | null {
    if (this.current) return { staffId: this.current.staffId, role: this.current.role, organizationId: this.current.organizationId, siteId: this.current.siteId };
    return this.enrolled ? null : this.fallback();
  }

  async signIn(rawLogin: string, password: string): Promise<SessionInfo> {
    const login = rawLogin.trim().toLowerCase();
    if (!this.enrolled) throw new AppError('UNAUTHORIZED', 'errors.auth.deskNotEnrolled');
    const url = this.replica.getMeta(SERVER_URL_META)!;
    const token = this.replica.getMeta(DEVICE_TOKEN_META)!;
    let profile: StaffProfile;
    try {
      profile = await loginWithServer(url, token, login, password);
    } catch (e) {
      if (AppError.is(e) && e.code === 'UNAVAILABLE') return this.start(await this.signInOffline(login, password), 'desk');
      // Refused by the server (wrong or changed password, deactivated): forget it here too.
      if (AppError.is(e) && (e.code === 'UNAUTHORIZED' || e.code === 'FORBIDDEN')) this.replica.sqlite.prepare('DELETE FROM desk_logins WHERE login = ?').run(login);
      throw e;
    }
    const verifier = await hash(password, ARGON);
    this.replica.sqlite
      .prepare(
        `INSERT INTO desk_logins (login, staff_id, organization_id, name, role, site_id, verifier, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (login) DO UPDATE SET staff_id = excluded.staff_id, organization_id = excluded.organization_id, name = excluded.name,
           role = excluded.role, site_id = excluded.site_id, verifier = excluded.verifier, last_login_at = excluded.last_login_at`,
      )
      .run(login, profile.staffId, profile.organizationId, profile.name, profile.role, profile.siteId, verifier, this.now());
    return this.start(profile, 'server');
  }

  signOut(): void {
    this.current = null;
    this.replica.sqlite.prepare("DELETE FROM meta WHERE key = 'session'").run();
  }

  private async signInOffline(login: string, password: string): Promise<StaffProfile> {
    const row = this.replica.sqlite.prepare<[string], DeskLoginRow>('SELECT * FROM desk_logins WHERE login = ?').get(login);
    // Same work whether or not the login is known here, so the answer time does not tell.
    const ok = await verify(row?.verifier ?? DUMMY_VERIFIER, password).catch(() => false);
    if (!row) throw new AppError('UNAVAILABLE', 'errors.auth.offlineUnknown');
    if (!ok || !isRole(row.role)) throw new AppError('UNAUTHORIZED', 'errors.auth.invalidCredentials');
    this.replica.sqlite.prepare('UPDATE desk_logins SET last_login_at = ? WHERE login = ?').run(this.now(), login);
    return { staffId: row.staff_id, name: row.name, role: row.role, siteId: row.site_id, organizationId: row.organization_id };
  }

  private start(p: StaffProfile, checkedBy: SessionInfo['checkedBy']): SessionInfo {
    this.current = { ...p, checkedBy };
    this.replica.setMeta('session', JSON.stringify(this.current));
    return this.current;
  }
}

/** An argon2id hash of a random password, verified against when the login is unknown here. */
const DUMMY_VERIFIER = '$argon2id$v=19$m=19456,t=2,p=1$FEL2+QVV+LubWlxxdmEUQw$AvE7/22Spo4VCTd/RErp9CemUOuG29OrMZabm29GO3U';

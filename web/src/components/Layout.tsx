import { NavLink, Outlet } from 'react-router';
import { useSession } from '../auth/session.js';
import { ROLE_LABELS } from '../format.js';
import { ScanBox } from './ScanBox.js';

/** Header (brand, navigation, who is logged in, scan box) above every page. */
export function Layout() {
  const { me, canWrite, logout } = useSession();
  // Once logged out, <RequireLogin> shows the login page.
  const onLogout = () => logout().catch(() => undefined);
  return (
    <div className="app">
      <header className="topbar">
        <div className="topbar-row">
          <NavLink to="/parts" className="brand">
            Tracelot
          </NavLink>
          <nav className="nav" aria-label="Main">
            <NavLink to="/scan">Scan</NavLink>
            <NavLink to="/parts">Parts</NavLink>
            <NavLink to="/locations">Locations</NavLink>
            <NavLink to="/projects">Projects</NavLink>
            <NavLink to="/builds">Builds</NavLink>
            <NavLink to="/shipments">Shipments</NavLink>
            <NavLink to="/labels">Labels</NavLink>
            <NavLink to="/serial-formats">Serial formats</NavLink>
            {canWrite && <NavLink to="/receive">Receive</NavLink>}
            {me?.role === 'admin' && <NavLink to="/users">Users</NavLink>}
            {me?.role === 'admin' && <NavLink to="/audit">Audit</NavLink>}
            {me?.role === 'admin' && <NavLink to="/settings/signatures">Signatures</NavLink>}
          </nav>
          {me && (
            <div className="user">
              <span className="user-name" data-testid="user-name">
                {me.name}
              </span>
              <span className="user-role">({ROLE_LABELS[me.role]})</span>
              <button type="button" className="link-button" onClick={onLogout}>
                Log out
              </button>
            </div>
          )}
        </div>
        <ScanBox />
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}

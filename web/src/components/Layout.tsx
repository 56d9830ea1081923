import { useEffect, useState } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router';
import { useSession } from '../auth/session.js';
import { ROLE_LABELS } from '../format.js';
import { ScanBox } from './ScanBox.js';

/**
 * Header above every page: brand, navigation and who is logged in on one line, then the scan
 * box. On a phone the line holds the brand, the user's name and a menu button; the navigation,
 * the role and logging out open from the menu (layout.css; wide.css lays them out in a row).
 */
export function Layout() {
  const { me, canWrite, logout } = useSession();
  const [menuOpen, setMenuOpen] = useState(false);
  const { pathname } = useLocation();
  // A link followed from the menu closes it: the new page starts unobstructed.
  useEffect(() => setMenuOpen(false), [pathname]);
  // Once logged out, <RequireLogin> shows the login page.
  const onLogout = () => logout().catch(() => undefined);
  return (
    <div className="app">
      <header className="topbar">
        <div className="topbar-row" data-testid="topbar-row">
          <NavLink to="/parts" className="brand">
            Tracelot
          </NavLink>
          {me && (
            <span className="user-name" data-testid="user-name">
              {me.name}
            </span>
          )}
          <button
            type="button"
            className="menu-button"
            aria-expanded={menuOpen}
            aria-controls="main-menu"
            onClick={() => setMenuOpen((open) => !open)}
          >
            <span aria-hidden="true">☰</span> Menu
          </button>
          <div id="main-menu" className={menuOpen ? 'menu open' : 'menu'}>
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
              {me?.role === 'admin' && <NavLink to="/sites">Sites</NavLink>}
              {me?.role === 'admin' && <NavLink to="/webhooks">Webhooks</NavLink>}
              {me?.role === 'admin' && <NavLink to="/printers">Printers</NavLink>}
            </nav>
            {me && (
              <div className="user">
                <span className="user-role">({ROLE_LABELS[me.role]})</span>
                <button type="button" className="link-button" onClick={onLogout}>
                  Log out
                </button>
              </div>
            )}
          </div>
        </div>
        <ScanBox />
      </header>
      <main className="content">
        <Outlet />
      </main>
    </div>
  );
}

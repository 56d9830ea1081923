import { Link, useLocation } from 'react-router';

export function NotFoundPage() {
  const { pathname } = useLocation();
  return (
    <>
      <h1>Page not found</h1>
      <p className="empty">
        There is no page at <code>{pathname}</code>. Go to the <Link to="/parts">parts</Link>, or
        scan a label.
      </p>
    </>
  );
}

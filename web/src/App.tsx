import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { RequireLogin } from './auth/RequireLogin.js';
import { RequireWrite } from './auth/RequireWrite.js';
import { SessionProvider } from './auth/SessionProvider.js';
import { Layout } from './components/Layout.js';
import { BuildsPage } from './pages/BuildsPage.js';
import { PickListPage } from './pages/build/PickListPage.js';
import { CodePage } from './pages/CodePage.js';
import { LabelsPage } from './pages/LabelsPage.js';
import { LocationsPage } from './pages/LocationsPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { NewBuildPage } from './pages/NewBuildPage.js';
import { NewPartPage } from './pages/NewPartPage.js';
import { NewProjectPage } from './pages/NewProjectPage.js';
import { NotFoundPage } from './pages/NotFoundPage.js';
import { PartsPage } from './pages/PartsPage.js';
import { ProjectsPage } from './pages/ProjectsPage.js';
import { ReceivePage } from './pages/ReceivePage.js';
import { RecallPage } from './pages/RecallPage.js';
import { ScanPage } from './pages/ScanPage.js';
import { NewShipmentPage } from './pages/NewShipmentPage.js';
import { ShipmentsPage } from './pages/ShipmentsPage.js';
import { SerialFormatsPage } from './pages/SerialFormatsPage.js';
import { UsersPage } from './pages/UsersPage.js';
import { AuditPage } from './pages/AuditPage.js';
import { AuditRecordPage } from './pages/AuditRecordPage.js';
import { SignatureSettingsPage } from './pages/SignatureSettingsPage.js';
import { SitesPage } from './pages/SitesPage.js';
import { WebhooksPage } from './pages/WebhooksPage.js';
import { PrintersPage } from './pages/PrintersPage.js';

/** Pages and their addresses. Every labelled object lives at /c/<code>. */
export function App() {
  return (
    <BrowserRouter>
      <SessionProvider>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route
            element={
              <RequireLogin>
                <Layout />
              </RequireLogin>
            }
          >
            <Route index element={<Navigate replace to="/parts" />} />
            <Route path="/parts" element={<PartsPage />} />
            <Route
              path="/parts/new"
              element={
                <RequireWrite what="creating a part">
                  <NewPartPage />
                </RequireWrite>
              }
            />
            <Route path="/locations" element={<LocationsPage />} />
            <Route
              path="/receive"
              element={
                <RequireWrite what="receiving stock">
                  <ReceivePage />
                </RequireWrite>
              }
            />
            <Route path="/projects" element={<ProjectsPage />} />
            <Route
              path="/projects/new"
              element={
                <RequireWrite what="creating a project">
                  <NewProjectPage />
                </RequireWrite>
              }
            />
            <Route path="/builds" element={<BuildsPage />} />
            <Route
              path="/builds/new"
              element={
                <RequireWrite what="starting a build">
                  <NewBuildPage />
                </RequireWrite>
              }
            />
            <Route path="/builds/:code/pick" element={<PickListPage />} />
            <Route path="/serial-formats" element={<SerialFormatsPage />} />
            <Route path="/users" element={<UsersPage />} />
            <Route path="/audit" element={<AuditPage />} />
            <Route path="/audit/:id" element={<AuditRecordPage />} />
            <Route path="/settings/signatures" element={<SignatureSettingsPage />} />
            <Route path="/sites" element={<SitesPage />} />
            <Route path="/webhooks" element={<WebhooksPage />} />
            <Route path="/printers" element={<PrintersPage />} />
            <Route path="/shipments" element={<ShipmentsPage />} />
            <Route
              path="/shipments/new"
              element={
                <RequireWrite what="shipping units">
                  <NewShipmentPage />
                </RequireWrite>
              }
            />
            <Route path="/scan" element={<ScanPage />} />
            <Route path="/labels" element={<LabelsPage />} />
            <Route path="/recall/:code" element={<RecallPage />} />
            <Route path="/c/:ref" element={<CodePage />} />
            <Route path="*" element={<NotFoundPage />} />
          </Route>
        </Routes>
      </SessionProvider>
    </BrowserRouter>
  );
}

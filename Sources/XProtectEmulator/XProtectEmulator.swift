// # XProtectEmulator
//
// An in-memory emulator of the Milestone XProtect API Gateway and its identity provider, built on
// Hummingbird 2, so Vigil's collections and tests run without an XProtect server.
//
// - ``EmbeddedEmulator`` runs one inside the process on a free loopback port (tests, `server: embedded`).
// - ``runEmulator(_:onListening:)`` serves one until SIGINT/SIGTERM (the `vigil emulator` command).
// - ``EmulatorConfiguration`` picks the ``ReleaseProfile``, token lifetime, users, task duration,
//   ``EmulatorFaults`` and an optional seed file.
//
// Requests go through one Hummingbird `Router` per emulator (`makeRouter(state:)`, case-insensitive
// like IIS), with authentication, fault injection and the IIS 404 page as `RouterMiddleware`s; answers
// are VigilJSON values printed in its ASP.NET style (`JSONStyle.aspNet`).
//
// What is emulated, what each release profile changes, and every choice made where the real
// server's behaviour is unknown are written down in `docs/emulator.md`.

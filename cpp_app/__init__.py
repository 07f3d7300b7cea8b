"""CPP Manager: run a department's Community Policing Plans.

The application is built by `cpp_app.app.create_app`; importing any other module of the
package loads only what that module needs.
"""

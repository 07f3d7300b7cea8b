"""The test suite: one package per feature, with shared fixtures, helpers and factories."""

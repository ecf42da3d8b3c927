// analytics.js: the `analytics` binding (see bindings.js). Filled in with the bindings issue.
(function () {
  'use strict';
})();

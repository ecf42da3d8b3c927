// d1.js: the `d1` binding (see bindings.js). Filled in with the bindings issue.
(function () {
  'use strict';
})();

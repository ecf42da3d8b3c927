// bench/http hello: the smallest useful worker. The same file runs on Blaze, workerd and wrangler dev.
export default {
  fetch() {
    return new Response("hello world");
  },
};

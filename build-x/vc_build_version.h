#define VC_VERSION "0.14.0"
#define VC_COMMIT "7d7b8ec0bcb4-dirty"

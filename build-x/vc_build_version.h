#define VC_VERSION "0.14.0"
#define VC_COMMIT "54684f87adfa-dirty"

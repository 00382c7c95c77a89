/* demo.c — placeholder replaced below */
#include "disclosure/disclosure.h"
int ow_disclosure_demo_seed(ow_ctx *cx) { (void)cx; return OW_OK; }

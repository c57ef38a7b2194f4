/* kefu: the binary. Everything happens in cli/. */
#include "cli/cli.h"

int main(int argc, char **argv)
{
	return kf_cli_main(argc, argv);
}

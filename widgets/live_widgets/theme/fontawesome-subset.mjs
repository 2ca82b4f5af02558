// @ts-check
// The book theme loads _static/scripts/fontawesome.js: every Font Awesome icon, 1.5 MB,
// which alone would use up a lesson page's transfer budget. The build bundles this file
// in its place (same path in site-assets, which Sphinx copies over the theme's file): the
// same Font Awesome version and the same automatic <i class="fa-…"> to <svg> replacement,
// with only the icons the theme's pages use. tests/build/test_icon_subset.py fails when a
// built page uses an icon that is missing here.
import { library, dom } from "@fortawesome/fontawesome-svg-core";
import {
  faAngleLeft,
  faAngleRight,
  faArrowUp,
  faBars,
  faCircleHalfStroke,
  faDownload,
  faExpand,
  faFile,
  faFilePdf,
  faList,
  faMagnifyingGlass,
  faMoon,
  faOutdent,
  faSun,
  faXmark,
} from "@fortawesome/free-solid-svg-icons";

library.add(
  faAngleLeft,
  faAngleRight,
  faArrowUp,
  faBars,
  faCircleHalfStroke,
  faDownload,
  faExpand,
  faFile,
  faFilePdf,
  faList,
  faMagnifyingGlass,
  faMoon,
  faOutdent,
  faSun,
  faXmark,
);
dom.watch();
